/**
 * npm run bench:web: the web page in Debian's chromium, timed as a person would meet it: the time from
 * picking one photo to its verdict on a cold page (models and WASM loaded on first use), again with
 * the models loaded, and a class of 50 photos picked at once. Also the page's size. Not a test: the
 * numbers depend on the machine (README, "The web page").
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { startServer, WEB_DIR } from '../src/cli/serve.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = join(ROOT, 'fixtures', 'example.jpg');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) total += entry.isDirectory() ? await folderBytes(join(dir, entry.name)) : (await stat(join(dir, entry.name))).size;
  return total;
}

const work = await mkdtemp(join(tmpdir(), 'gradphoto-bench-web-'));
const classPhotos: string[] = [];
for (let i = 0; i < 50; i++) {
  // 50 different photos: the example shifted, brightened and mirrored in turn.
  const path = join(work, `2026${String(i).padStart(6, '0')}.jpg`);
  let image = sharp(example).modulate({ brightness: 0.85 + (i % 7) * 0.05 });
  if (i % 2) image = image.flop();
  await writeFile(path, await image.jpeg({ quality: 85 + (i % 10) }).toBuffer());
  classPhotos.push(path);
}
const server = await startServer(0);
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(origin);
  await page.waitForSelector('body[data-ready]');
  const time = async (files: string[]) => {
    const started = performance.now();
    await page.setInputFiles('[data-input=photos]', files);
    await page.waitForSelector(`body[data-checked="${files.length}"]`, { timeout: 600_000 });
    const ms = performance.now() - started;
    await page.evaluate(() => { delete document.body.dataset.checked; });
    return ms;
  };
  const cold = await time([example]);
  const warm = await time([classPhotos[1]]);
  const fifty = await time(classPhotos);
  const appJs = (await stat(join(WEB_DIR, 'app.js'))).size;
  console.log(`first verdict, cold page (models load): ${(cold / 1000).toFixed(2)} s`);
  console.log(`one more photo, models loaded:         ${(warm / 1000).toFixed(2)} s`);
  console.log(`a class of 50 photos:                  ${(fifty / 1000).toFixed(1)} s (${(fifty / 50).toFixed(0)} ms a photo)`);
  console.log(`page: app.js ${(appJs / 1024).toFixed(0)} KB, ${(await folderBytes(WEB_DIR) / 1048576).toFixed(1)} MB with models and wasm`);
} finally {
  await browser.close();
  server.close();
  await rm(work, { recursive: true, force: true });
}
