/**
 * Memory of a class folder's check at two sizes: the whole CLI (discovery, worker threads, every rule on
 * every photo, a JSON report written to a file) on N real photos, its peak resident set (maxRSS, every
 * thread) read by the process itself at exit. The photos are small (240x320 crops of the committed fixture,
 * 40 different ones hard-linked under N names) so that thousands of real checks fit in minutes; nothing
 * is skipped. Target (issue 19): peak RSS at the larger size within 10% of that at the smaller.
 * Usage: npm run bench:memory [-- --sizes 1000,5000 --format json --bin bin/gradphoto.js]
 */
import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};

async function main(): Promise<void> {
  const sizes = option('sizes', '1000,5000').split(',').map(Number);
  const format = option('format', 'json');
  const bin = resolve(option('bin', join(ROOT, 'bin', 'gradphoto.js')));
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-memory-'));
  try {
    const source = join(ROOT, 'fixtures', 'astronaut.png');
    const originals: string[] = [];
    for (let i = 0; i < 40; i++) {
      const width = 240 + (i * 37) % 140;
      const height = Math.round((width * 4) / 3);
      const left = Math.min(512 - width, 60 + (i * 23) % 90);
      const top = Math.min(512 - height, (i * 11) % 40);
      const path = join(dir, `original-${i}.jpg`);
      await writeFile(path, await sharp(source).extract({ left, top, width, height }).resize(240, 320).jpeg({ quality: 70 + (i % 20) }).toBuffer());
      originals.push(path);
    }
    const preload = pathToFileURL(join(ROOT, 'bench', 'rss-at-exit.mjs')).href;
    const rows: { size: number; rssMiB: number; seconds: number }[] = [];
    for (const size of sizes) {
      const folder = join(dir, `class-${size}`);
      await mkdir(folder);
      for (let i = 0; i < size; i++) await link(originals[i % originals.length], join(folder, `${String(i).padStart(6, '0')}.jpg`));
      const out = join(dir, `report-${size}.${format}`);
      const began = performance.now();
      const run = spawnSync(process.execPath, ['--import', preload, bin, 'check', folder, '--format', format, '-o', out], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
      const seconds = (performance.now() - began) / 1000;
      const found = /gradphoto-bench-maxrss (\d+)/.exec(run.stderr);
      if (!found || (run.status !== 0 && run.status !== 1)) throw new Error(`the CLI failed on ${size} photos (exit ${run.status}): ${run.stderr.slice(-500)}`);
      rows.push({ size, rssMiB: Number(found[1]) / 1024, seconds });
      await rm(folder, { recursive: true });
      await rm(out, { force: true });
      console.error(`${size} photos: peak RSS ${(Number(found[1]) / 1024).toFixed(0)} MiB, ${seconds.toFixed(0)} s`);
    }
    console.log(`gradphoto bench:memory: ${bin.replace(`${ROOT}/`, '')} check <folder> --format ${format} -o <file>, real checks of 240x320 photos`);
    console.log('| photos | peak RSS (MiB) | seconds | photos per second |');
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.size} | ${row.rssMiB.toFixed(0)} | ${row.seconds.toFixed(0)} | ${(row.size / row.seconds).toFixed(1)} |`);
    if (rows.length < 2) return; // one size: its figure alone
    const [small, large] = [rows[0], rows[rows.length - 1]];
    const growth = large.rssMiB / small.rssMiB - 1;
    const perPhotoKiB = ((large.rssMiB - small.rssMiB) * 1024) / (large.size - small.size);
    console.log(`peak RSS at ${large.size} photos is ${(growth * 100).toFixed(1)}% above that at ${small.size} (${perPhotoKiB.toFixed(1)} KiB per photo more)`);
    if (large.size < 20_000) {
      const at20k = small.rssMiB + (perPhotoKiB * (20_000 - small.size)) / 1024;
      console.log(`extrapolated linearly to 20,000 photos (not measured): ${at20k.toFixed(0)} MiB, ${((at20k / small.rssMiB - 1) * 100).toFixed(1)}% above ${small.size}`);
      console.log(`target (20,000 within 10% of 1,000), on the extrapolation: ${at20k <= 1.1 * small.rssMiB ? 'met' : 'NOT met'}`);
    } else {
      console.log(`target (within 10%): ${growth <= 0.1 ? 'met' : 'NOT met'}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
