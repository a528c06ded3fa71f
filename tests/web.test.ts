import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { startServer } from '../src/cli/serve.js';
import { FIX_RESPONSIBLE } from '../src/fix/responsible.js';
import { FFMPEG, makeHeic } from './heic.js';
import { ASTRONAUT, EXAMPLE, ROOT, examplePixels, fromRaw, runCliInProcess } from './helpers.js';

/** Debian's chromium (or CHROMIUM_PATH): the page is tested in a real browser, never a downloaded one. */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const executablePath = findChromium();
const skip = executablePath ? false : 'chromium not found (apt-get install chromium, or set CHROMIUM_PATH): the web page is not tested';

let browser: Browser;
let server: Server | undefined;
let origin: string;
let dir: string;
before(async () => {
  if (skip) return;
  server = await startServer(0);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  dir = await mkdtemp(join(tmpdir(), 'gradphoto-web-'));
});
after(async () => {
  await browser?.close();
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fresh page, recording console errors, page errors and every request's address. */
async function openPage(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = []; const requests: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready]');
  return { page, errors, requests };
}

const rowsOf = (page: Page) => page.$$eval('[data-view=student] ul.rules li[data-rule]', (items) => items.map((li) => `${(li as HTMLElement).dataset.rule}:${(li as HTMLElement).dataset.status}`));

/** The labelled fixtures and variants made from them, each a different path through the rules. */
async function variants(): Promise<string[]> {
  const raw = await examplePixels();
  const image = () => fromRaw(raw);
  const made: [string, Promise<Buffer>][] = [
    ['grey.jpg', image().greyscale().jpeg({ quality: 90 }).toBuffer()],
    ['rotated.jpg', image().rotate(90).jpeg({ quality: 90 }).withMetadata({ orientation: 8 }).toBuffer()],
    ['blurred.jpg', image().blur(4).jpeg({ quality: 90 }).toBuffer()],
    ['small.jpg', image().resize(240, 320).jpeg({ quality: 90 }).toBuffer()],
    ['large-file.jpg', image().jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer()],
    ['as-png.jpg', image().png().toBuffer()],
    ['example.png', image().png().toBuffer()],
    ['dark.jpg', image().linear(0.35, 0).jpeg({ quality: 90 }).toBuffer()],
    ['bright.jpg', image().linear(1.6, 40).jpeg({ quality: 90 }).toBuffer()],
    ['mirrored.jpg', image().flop().jpeg({ quality: 92 }).toBuffer()],
    ['off-centre.jpg', image().extend({ left: 120, right: 0, top: 0, bottom: 0, extendWith: 'copy' }).resize(480, 640, { fit: 'cover', position: 'right' }).jpeg({ quality: 90 }).toBuffer()],
    ['wide.jpg', image().resize(640, 640, { fit: 'contain', background: '#c8c4c0' }).jpeg({ quality: 90 }).toBuffer()],
    ['progressive.jpg', image().jpeg({ quality: 88, progressive: true }).toBuffer()],
    ['truncated.jpg', image().jpeg({ quality: 90 }).toBuffer().then((b) => b.subarray(0, 20000))],
  ];
  const paths = [EXAMPLE, ASTRONAUT];
  for (const [name, bytes] of made) {
    const path = join(dir, 'variants', name);
    await mkdir(join(dir, 'variants'), { recursive: true });
    await writeFile(path, await bytes);
    paths.push(path);
  }
  return paths;
}

test('web: the page loads with no console errors and asks nothing of any other origin; one photo gives the CLI\'s statuses', { skip, timeout: 240_000 }, async () => {
  const { page, errors, requests } = await openPage();
  const started = Date.now();
  await page.setInputFiles('[data-input=photos]', EXAMPLE);
  await page.waitForSelector('[data-view=student] li[data-rule]', { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const cli = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--format', 'json', '--lang', 'en'])).stdout);
  assert.deepEqual(await rowsOf(page), cli.files[0].checks.map((c: { rule: string; status: string }) => `${c.rule}:${c.status}`));
  assert.equal(await page.getAttribute('[data-view=student] .verdict', 'data-verdict'), 'fail');
  // The overlay: the face box, head-top and eye lines inside the frame, and both allowed bands.
  for (const selector of ['[data-face=main]', '[data-line=head-top]', '[data-line=eye-line]', '[data-band=head-top]', '[data-band=eye-line]']) {
    assert.ok(await page.$(`[data-overlay] ${selector}`), `overlay has ${selector}`);
  }
  const eyeY = Number(await page.getAttribute('[data-line=eye-line]', 'y1'));
  assert.ok(eyeY > 200 && eyeY < 320, `eye line at ${eyeY} of 640`);
  // Plain Chinese first, English on the switch (the catalogue of src/i18n, as the CLI's --lang en).
  assert.match(await page.textContent('[data-rule="background.color"] .message') ?? '', /背景/);
  await page.click('[data-action=lang]');
  await page.waitForFunction(() => /Background/.test(document.querySelector('[data-rule="background.color"] .message')?.textContent ?? ''));
  const english = await page.textContent('[data-rule="background.color"] .message');
  assert.equal(english, cli.files[0].checks.find((c: { rule: string }) => c.rule === 'background.color').message);
  assert.deepEqual(errors, []);
  assert.ok(requests.length > 5, 'the page, its bundle, models and wasm were requested');
  assert.deepEqual(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')), []);
  console.log(`# first verdict in the page: ${seconds.toFixed(1)} s (models loaded cold)`);
});

test('web: for the fixtures and a dozen variants, every rule\'s status in the page equals the CLI\'s JSON', { skip, timeout: 480_000 }, async () => {
  const paths = await variants();
  const cli = JSON.parse((await runCliInProcess(['check', ...paths, '--format', 'json', '--lang', 'en', '-j', '1'])).stdout) as { files: { path: string; verdict: string; checks: { rule: string; status: string }[] }[] };
  const expected = new Map(cli.files.map((file) => [basename(file.path), file]));
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=photos]', paths);
  await page.waitForSelector(`body[data-checked="${paths.length}"]`, { timeout: 400_000 });
  const differences: string[] = [];
  for (const path of paths) {
    const name = basename(path);
    await page.click(`tr[data-photo="${name}"]`);
    // The heading comes first and the rule list after the overlay's geometry (from the checking thread): wait for both.
    await page.waitForFunction((shown) => document.querySelector('[data-view=student] h2')?.firstChild?.textContent === shown
      && document.querySelector('[data-view=student] ul.rules') !== null, name);
    const inPage = await rowsOf(page);
    const want = expected.get(name)!;
    const fromCli = want.checks.map((c) => `${c.rule}:${c.status}`);
    if (JSON.stringify(inPage) !== JSON.stringify(fromCli)) differences.push(`${name}: page ${inPage.filter((r) => !fromCli.includes(r)).join(' ')} / CLI ${fromCli.filter((r) => !inPage.includes(r)).join(' ')}`);
    assert.equal(await page.getAttribute(`tr[data-photo="${name}"]`, 'data-verdict'), want.verdict, name);
  }
  assert.deepEqual(differences, [], differences.join('\n'));
  assert.deepEqual(errors, []);
});

test('web: an iPhone HEIC photo is decoded in the page by libheif\'s WebAssembly, with the CLI\'s statuses; fix works on it', { skip: skip || (!FFMPEG && 'no ffmpeg build for this platform to make an HEIC with'), timeout: 300_000 }, async () => {
  const pixels = await examplePixels();
  const path = join(dir, 'IMG_0001.HEIC');
  await writeFile(path, await makeHeic(pixels.data, pixels.width, pixels.height));
  const cli = JSON.parse((await runCliInProcess(['check', path, '--format', 'json', '--lang', 'en'])).stdout) as { files: { verdict: string; checks: { rule: string; status: string }[] }[] };
  const { page, errors, requests } = await openPage();
  await page.setInputFiles('[data-input=photos]', path);
  await page.waitForSelector('[data-view=student] li[data-rule]', { timeout: 200_000 });
  assert.deepEqual(await rowsOf(page), cli.files[0].checks.map((c) => `${c.rule}:${c.status}`));
  assert.equal(await page.getAttribute('[data-view=student] [data-verdict]', 'data-verdict'), cli.files[0].verdict);
  // The decoder is fetched from the page's own wasm/ folder, and only now.
  assert.ok(requests.some((url) => url === `${origin}/wasm/libheif.wasm`), requests.join('\n'));
  await page.click('[data-action=fix]');
  await page.waitForSelector('[data-fix]', { timeout: 200_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=fixed]')]);
  const bytes = await readFile(await download.path());
  assert.ok(bytes.length >= 30720 && bytes.length <= 40000, `${bytes.length} bytes`);
  assert.deepEqual(errors, []);
});

test('web: fix downloads a JPEG in the 30720–40000 byte window that the CLI then passes on every rule fix answers for', { skip, timeout: 300_000 }, async () => {
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=photos]', EXAMPLE);
  await page.waitForSelector('[data-action=fix]', { timeout: 120_000 });
  await page.click('[data-action=fix]');
  await page.waitForSelector('[data-download=fixed]', { timeout: 120_000 });
  assert.ok(await page.$('[data-fix] img[data-image=before]') && await page.$('[data-fix] img[data-image=after]'), 'before and after are shown');
  // A plain studio backdrop: no "look before you upload" under the result.
  assert.equal(await page.$('[data-fix] [data-review]'), null);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=fixed]')]);
  assert.equal(download.suggestedFilename(), 'example-fixed.jpg');
  const saved = join(dir, 'example-fixed.jpg');
  await download.saveAs(saved);
  const bytes = await readFile(saved);
  assert.ok(bytes.length >= 30720 && bytes.length <= 40000, `fixed photo is ${bytes.length} bytes`);
  const cli = JSON.parse((await runCliInProcess(['check', saved, '--format', 'json', '--lang', 'en'])).stdout);
  const failing = cli.files[0].checks.filter((c: { rule: string; status: string }) => FIX_RESPONSIBLE.has(c.rule) && c.status === 'fail').map((c: { rule: string }) => c.rule);
  assert.deepEqual(failing, []);
  for (const rule of ['file.size', 'file.format', 'image.dimensions', 'background.color', 'face.size', 'face.position', 'image.dpi']) {
    assert.equal(cli.files[0].checks.find((c: { rule: string }) => c.rule === rule).status, 'pass', rule);
  }
  // What fix cannot mend is said as the CLI says it: the astronaut's face is too small to enlarge.
  await page.setInputFiles('[data-input=photos]', ASTRONAUT);
  await page.waitForFunction(() => document.querySelector('[data-view=student] h2')?.firstChild?.textContent === 'astronaut.png');
  await page.click('[data-action=fix]');
  await page.waitForSelector('[data-fix=refused]', { timeout: 120_000 });
  assert.match(await page.textContent('[data-fix=refused]') ?? '', /91 像素/);
  assert.deepEqual(errors, []);
});

test('web: the teacher flow: photos and a roster give the class table, the roster problems, the CSV and a ZIP of fixed photos', { skip, timeout: 400_000 }, async () => {
  const class_ = join(dir, 'class');
  await mkdir(class_, { recursive: true });
  const photos = [join(class_, '2026010001 张三.jpg'), join(class_, '2026010002.jpg'), join(class_, 'stranger.jpg')];
  await writeFile(photos[0], await readFile(EXAMPLE));
  await writeFile(photos[1], await sharp(ASTRONAUT).resize(480, 640, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer());
  await writeFile(photos[2], await sharp(EXAMPLE).flop().jpeg({ quality: 90 }).toBuffer());
  const roster = join(dir, '名单.csv');
  await writeFile(roster, '\ufeff学号,身份证号,姓名\r\n2026010001,,张三\r\n2026010002,,李四\r\n2026010003,,王五\r\n');
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=roster]', roster);
  await page.waitForSelector('body[data-roster="3"]');
  await page.setInputFiles('[data-input=photos]', photos);
  await page.waitForSelector('body[data-checked="3"]', { timeout: 300_000 });
  assert.equal((await page.$$('[data-view=class] tr[data-photo]')).length, 3);
  assert.deepEqual(await page.$$eval('[data-roster-list=missing] li', (items) => items.map((li) => li.textContent)), ['2026010003 王五']);
  assert.deepEqual(await page.$$eval('[data-roster-list=unmatched] li', (items) => items.map((li) => li.textContent)), ['stranger.jpg']);
  // The filter shows only what fails.
  await page.selectOption('[data-filter]', 'pass');
  const passing = await page.$$eval('[data-view=class] tr[data-photo]', (rows) => rows.map((row) => (row as HTMLElement).dataset.verdict));
  assert.ok(passing.every((verdict) => verdict === 'pass'), passing.join());
  await page.selectOption('[data-filter]', 'all');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=csv]')]);
  const text = await readFile(await csv.path(), 'utf8');
  const cliCsv = (await runCliInProcess(['check', class_, '--roster', roster, '--format', 'csv', '--lang', 'zh'])).stdout;
  const rows = (csvText: string) => csvText.replace(/^\ufeff/, '').split('\r\n').filter(Boolean).map((line) => line.split(',').slice(0, 5).join(',').replace(/[^,]*\//, ''));
  // Same students, photos and verdicts as the CLI's report (its paths carry the folder).
  assert.deepEqual(rows(text).map((r) => r.split(',').slice(0, 3).concat(r.split(',')[4]).join()).sort(), rows(cliCsv).map((r) => r.split(',').slice(0, 3).concat(r.split(',')[4]).join()).sort());

  const [zip] = await Promise.all([page.waitForEvent('download', { timeout: 300_000 }), page.click('[data-action=zip]')]);
  const entries = unzipSync(new Uint8Array(await readFile(await zip.path())));
  const names = Object.keys(entries).sort();
  assert.ok(names.length >= 2, `zip holds ${names.join(', ')}`);
  for (const name of names) assert.ok(entries[name].length >= 30720 && entries[name].length <= 40000, `${name}: ${entries[name].length} bytes`);
  assert.deepEqual(errors, []);
});

test('web: a teacher picks a whole class folder: its photos in subfolders and its roster are read, junk files left out', { skip, timeout: 300_000 }, async () => {
  const root = join(dir, '2026届');
  await mkdir(join(root, '甲班'), { recursive: true });
  await mkdir(join(root, '乙班'), { recursive: true });
  await writeFile(join(root, '甲班', '2026010001.jpg'), await readFile(EXAMPLE));
  await writeFile(join(root, '乙班', '2026010002.jpg'), await sharp(EXAMPLE).flop().jpeg({ quality: 90 }).toBuffer());
  await writeFile(join(root, '名单.csv'), '学号,姓名\r\n2026010001,张三\r\n2026010002,李四\r\n2026010003,王五\r\n');
  await writeFile(join(root, 'Thumbs.db'), Buffer.alloc(64, 1));
  await writeFile(join(root, '.DS_Store'), Buffer.alloc(64, 2));
  await writeFile(join(root, '说明.docx'), Buffer.from('PK not a photo'));
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=folder]', root);
  await page.waitForSelector('body[data-checked="2"]', { timeout: 240_000 });
  await page.waitForSelector('body[data-roster="3"]');
  const photos = await page.$$eval('[data-view=class] tr[data-photo]', (rows) => rows.map((row) => (row as HTMLElement).dataset.photo));
  assert.deepEqual(photos, ['2026届/乙班/2026010002.jpg', '2026届/甲班/2026010001.jpg']);
  assert.deepEqual(await page.$$eval('[data-roster-list=missing] li', (items) => items.map((li) => li.textContent)), ['2026010003 王五']);
  assert.deepEqual(errors, []);
});

test('web: picking another standard (GA 461 ID card) checks the photo again with the CLI\'s --profile statuses, and fix makes its frame', { skip, timeout: 300_000 }, async () => {
  const cli = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--profile', 'id-card', '--format', 'json', '--lang', 'en'])).stdout) as { profile: string; files: { verdict: string; checks: { rule: string; status: string }[] }[] };
  assert.equal(cli.profile, 'id-card');
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=photos]', EXAMPLE);
  await page.waitForSelector('[data-view=student] li[data-rule]', { timeout: 120_000 });
  // The default standard takes the example's 480x640; the ID card's 358x441 does not.
  assert.equal(await page.getAttribute('li[data-rule="image.dimensions"]', 'data-status'), 'pass');
  await page.selectOption('[data-input=profile]', 'id-card');
  await page.waitForSelector('body[data-profile="id-card"]');
  await page.waitForSelector('li[data-rule="image.dimensions"][data-status="fail"]');
  assert.deepEqual(await rowsOf(page), cli.files[0].checks.map((c) => `${c.rule}:${c.status}`));
  await page.click('[data-action=fix]');
  await page.waitForSelector('[data-fix]', { timeout: 200_000 });
  // The CLI fixes it for this profile (gradphoto fix --profile id-card): so must the page.
  assert.equal(await page.getAttribute('[data-fix]', 'data-fix'), 'fixed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=fixed]')]);
  const fixed = await readFile(await download.path());
  const meta = await sharp(fixed).metadata();
  assert.deepEqual([meta.width, meta.height], [358, 441]);
  assert.ok(fixed.length >= 14336 && fixed.length <= 20480, `${fixed.length} bytes`);
  assert.deepEqual(errors, []);
});

test('web: a school\'s own profile file is read as --profile file.json reads it: its mistakes named by line, then its statuses and fix', { skip, timeout: 300_000 }, async () => {
  const school = join(ROOT, 'profiles', 'example-school.json');
  const cli = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--profile', school, '--format', 'json', '--lang', 'en'])).stdout) as { profile: string; files: { checks: { rule: string; status: string }[] }[] };
  assert.equal(cli.profile, 'example-school');
  const { page, errors } = await openPage();
  await page.setInputFiles('[data-input=photos]', EXAMPLE);
  await page.waitForSelector('[data-view=student] li[data-rule]', { timeout: 120_000 });
  const before = await rowsOf(page);
  // A file with mistakes: each is named with its line, as the CLI names them, and the standard in use stays.
  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{\n  "id": "broken-school",\n  "extends": "ouc-graduate",\n  "name": { "zh": "坏", "en": "broken" },\n  "bytes": { "min": "thirty" }\n}\n');
  await page.setInputFiles('[data-input=profile-file]', broken);
  await page.waitForSelector('[data-profile-error]:not([hidden])');
  const said = await page.textContent('[data-profile-error]') ?? '';
  assert.match(said, /broken\.json:5: bytes\.min: must be a whole number, not "thirty"/);
  assert.match(said, /broken\.json:1: "sources" is missing/);
  assert.deepEqual(await rowsOf(page), before);
  // The school's file: listed after the built-ins, chosen, and every status equals the CLI's with --profile.
  await page.setInputFiles('[data-input=profile-file]', school);
  await page.waitForSelector('body[data-profile="example-school"]');
  assert.ok(await page.$('[data-profile-error][hidden]'), 'the earlier mistakes are cleared');
  assert.equal(await page.$eval('[data-input=profile]', (select) => (select as HTMLSelectElement).value), 'own');
  assert.match(await page.$eval('[data-input=profile] option:checked', (option) => option.textContent ?? ''), /example-school\.json/);
  assert.deepEqual(await rowsOf(page), cli.files[0].checks.map((c) => `${c.rule}:${c.status}`));
  // Its fix: the school's white background and its 30–50 KB window.
  await page.click('[data-action=fix]');
  await page.waitForSelector('[data-download=fixed]', { timeout: 200_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=fixed]')]);
  const fixed = await readFile(await download.path());
  assert.ok(fixed.length >= 30720 && fixed.length <= 51200, `${fixed.length} bytes`);
  const { data } = await sharp(fixed).raw().toBuffer({ resolveWithObject: true });
  assert.ok(data[0] > 240 && data[1] > 240 && data[2] > 240, `top-left pixel ${[data[0], data[1], data[2]]} is white`);
  // Back to a built-in and to the file again: each is checked against its own numbers.
  await page.selectOption('[data-input=profile]', 'ouc-graduate');
  await page.waitForSelector('body[data-profile="ouc-graduate"]');
  assert.deepEqual(await rowsOf(page), before);
  await page.selectOption('[data-input=profile]', 'own');
  await page.waitForSelector('body[data-profile="example-school"]');
  assert.deepEqual(await rowsOf(page), cli.files[0].checks.map((c) => `${c.rule}:${c.status}`));
  assert.deepEqual(errors, []);
});

test('web: screenshots at phone and desktop widths; nothing wider than a phone\'s screen', { skip, timeout: 240_000 }, async () => {
  const shots = join(ROOT, 'dist', 'screenshots');
  await mkdir(shots, { recursive: true });
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    const { page, errors } = await openPage(viewport);
    await page.setInputFiles('[data-input=photos]', EXAMPLE);
    await page.waitForSelector('[data-view=student] li[data-rule]', { timeout: 120_000 });
    const widest = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(widest <= viewport.width, `${name}: the page is ${widest} px wide in a ${viewport.width} px window`);
    const png = await page.screenshot({ path: join(shots, `web-${name}.png`) });
    const meta = await sharp(png).metadata();
    assert.equal(meta.width, viewport.width);
    assert.deepEqual(errors, []);
  }
});

test('web: the page\'s bundle holds the pipeline of src/ on the browser platform, and no node: module, sharp or onnxruntime; the pipeline runs in its checking thread', async () => {
  type Output = { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] };
  const meta = JSON.parse(await readFile(join(ROOT, 'dist', 'web-bundle.json'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, Output> };
  const inputs = Object.keys(meta.inputs);
  // The page's own script only draws and asks: the models, analysis and rules are in worker.js, so the
  // page answers clicks and scrolling while a class folder is checked. A script's modules are those of
  // its file and of the chunks it imports statically (libheif's loader is imported only when needed).
  const output = (name: string) => {
    const seen = new Set<string>(); const modules = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path) || !meta.outputs[path]) return;
      seen.add(path);
      for (const input of Object.keys(meta.outputs[path].inputs)) modules.add(input);
      for (const imported of meta.outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
    };
    visit(Object.keys(meta.outputs).find((path) => path.endsWith(`web/${name}`)) ?? '');
    return [...modules];
  };
  const page = output('app.js'); const worker = output('worker.js');
  assert.ok(page.includes('web/src/main.ts') && worker.includes('web/src/worker.ts'), `app.js: ${page.length} inputs, worker.js: ${worker.length}`);
  assert.deepEqual(page.filter((input) => /src\/(analysis|rules|core|fix|models)\/|tfjs|jsquash|libheif/.test(input)), []);
  for (const module of ['src/core/run.ts', 'src/analysis/matte.ts', 'src/rules/index.ts']) assert.ok(worker.includes(module), `${module} is in the checking thread`);
  for (const module of ['src/core/run.ts', 'src/core/load.ts', 'src/fix/index.ts', 'src/analysis/matte.ts', 'src/rules/index.ts', 'web/src/platform.ts', 'src/i18n/zh.ts']) {
    assert.ok(inputs.includes(module), `${module} is in the page`);
  }
  // libheif's WebAssembly loader, yes (HEIC photos); its Node entry with the .wasm inlined, no.
  assert.deepEqual(inputs.filter((input) => /^node:|\/sharp\/|onnxruntime|libheif-js\/(index|wasm|wasm-bundle)\.js|libheif-bundle|src\/platform\/index\.ts/.test(input)), []);
  const html = await readFile(join(ROOT, 'dist', 'web', 'index.html'), 'utf8');
  assert.match(html, /Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(html, /<input type="file" data-input="photos" accept="image\/\*" multiple>/);
});

test('serve: answers 127.0.0.1 with the page and its CSP, and refuses any other Host header', async () => {
  const own = await startServer(0);
  try {
    const port = (own.address() as AddressInfo).port;
    const get = (host: string, path = '/') => new Promise<{ status: number; csp?: string; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, csp: response.headers['content-security-policy'] as string | undefined, body }));
      }).on('error', reject).end();
    });
    const page = await get(`127.0.0.1:${port}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-input="photos"/);
    assert.match(page.csp ?? '', /^default-src 'self'/);
    assert.equal((await get(`localhost:${port}`, '/wasm/mozjpeg_enc.wasm')).status, 200);
    assert.equal((await get(`evil.example:${port}`)).status, 421);
    assert.equal((await get('127.0.0.1')).status, 421);
    assert.equal((await get(`127.0.0.1:${port}`, '/../package.json')).status, 404);
  } finally {
    own.close();
  }
});
