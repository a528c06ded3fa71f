import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { measureBackground } from '../src/analysis/background.js';
import { deltaE2000, rgbToLab, type Rgb } from '../src/analysis/colour.js';
import { faces } from '../src/analysis/face.js';
import { loadPhoto } from '../src/core/load.js';
import { fitToWindow } from '../src/fix/encode.js';
import { onNewBackground } from '../src/fix/composite.js';
import { ASTRONAUT, EXAMPLE, ROOT, check, only, runCliInProcess, statuses, tempDir, writeTemp } from './helpers.js';

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const BLUE: Rgb = [100, 197, 255];

/** The example on another plain background colour (an ID photo from another studio); each colour made once for the file's tests. */
const made = new Map<string, Promise<Buffer>>();
function onBackground(colour: Rgb): Promise<Buffer> {
  const key = colour.join(',');
  if (!made.has(key)) made.set(key, makeOnBackground(colour));
  return made.get(key)!;
}

async function makeOnBackground(colour: Rgb): Promise<Buffer> {
  const outcome = await loadPhoto(EXAMPLE);
  if (outcome.kind !== 'photo') throw new Error('example did not load');
  const face = (await faces(outcome.photo)).main;
  const { image } = await onNewBackground({ data: outcome.photo.pixels.data, width: 480, height: 640 }, face!.mesh, colour);
  return sharp(image.data, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

async function assertCompliantOutput(path: string): Promise<void> {
  const bytes = await readFile(path);
  assert.ok(bytes.length >= 30720 && bytes.length <= 40000, `${path}: ${bytes.length} bytes`);
  const result = await check(path);
  for (const rule of ['file.format', 'file.size', 'file.trailing-data', 'image.dimensions', 'image.color', 'image.orientation', 'image.dpi', 'image.jpeg-quality', 'face.count', 'face.size', 'face.position', 'background.color', 'background.uniform']) {
    // pass, or at most a warning (the verdict stays pass): nothing fix can change may fail.
    assert.ok(statuses(result, rule).every((s) => !s.startsWith('fail') && !s.startsWith('skip')), `${path} ${rule}: ${statuses(result, rule)}`);
  }
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [480, 640]);
  const outcome = await loadPhoto(path);
  if (outcome.kind !== 'photo') throw new Error('output did not load');
  const bg = measureBackground({ data, width: 480, height: 640, scale: 1 }, (await faces(outcome.photo)).main);
  const distance = deltaE2000(rgbToLab(bg.mean), rgbToLab(BLUE));
  assert.ok(distance < 4, `${path}: background ${bg.mean.map(Math.round)} is ΔE ${distance.toFixed(1)} from the reference blue`);
}

test('fix: white, red and grey background photos become compliant blue 480x640 photos; inputs untouched', async () => {
  const dir = await tempDir();
  const inputs: string[] = [];
  for (const [name, colour] of [['white', [255, 255, 255]], ['red', [214, 40, 40]], ['grey', [200, 200, 200]]] as [string, Rgb][]) {
    inputs.push(await writeTemp(dir, `${name}.jpg`, await onBackground(colour)));
  }
  const before = await Promise.all(inputs.map(sha));
  const out = join(dir, 'out');
  const run = await runCliInProcess(['fix', ...inputs, '--out-dir', out, '--lang', 'en', '--format', 'json']);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.files.map((f: { status: string }) => f.status), ['fixed', 'fixed', 'fixed']);
  // fix reports the re-check; the subject's own fringe and hair over the ears are beyond what fix may change.
  assert.equal(run.code, 1);
  for (const name of ['white', 'red', 'grey']) await assertCompliantOutput(join(out, `${name}.jpg`));
  assert.deepEqual(await Promise.all(inputs.map(sha)), before);
});

test('fix: a large portrait is cropped and scaled from full resolution', async () => {
  const dir = await tempDir();
  // 1536x1632: the astronaut enlarged 3x with plain backdrop added above, as a camera would frame it.
  const large = await sharp(ASTRONAUT).removeAlpha().extend({ top: 32, extendWith: 'mirror' }).resize(1536, 1632).jpeg({ quality: 92 }).toBuffer();
  const input = await writeTemp(dir, 'large.jpg', large);
  const out = join(dir, 'fixed.jpg');
  const run = await runCliInProcess(['fix', input, '-o', out, '--lang', 'en', '--background', 'keep', '--format', 'json']);
  const report = JSON.parse(run.stdout);
  assert.equal(report.files[0].status, 'fixed', run.stdout);
  const result = await check(out);
  const width = only(result, 'face.size').measured as number;
  assert.ok(width >= 190 && width <= 290, `face width ${width}`);
  assert.deepEqual(statuses(result, 'face.position').map((s) => s.split(':')[0]), ['pass']);
  assert.equal(only(result, 'image.dimensions').status, 'pass');
});

test('fix: running fix on its own output changes nothing', async () => {
  const dir = await tempDir();
  const input = await writeTemp(dir, 'white.jpg', await onBackground([255, 255, 255]));
  await runCliInProcess(['fix', input, '-o', join(dir, 'once.jpg')]);
  const again = await runCliInProcess(['fix', join(dir, 'once.jpg'), '-o', join(dir, 'twice.jpg'), '--format', 'json']);
  assert.equal(JSON.parse(again.stdout).files[0].status, 'unchanged');
  assert.equal(await sha(join(dir, 'once.jpg')), await sha(join(dir, 'twice.jpg')));
});

test('fix refuses, with a reason, what it cannot fix: two people, a tiny face, shoulders cut off under the chin; nothing is written', async () => {
  const dir = await tempDir();
  const half = await sharp(EXAMPLE).resize(240, 320).toBuffer();
  const pair = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8c8c8' } })
    .composite([{ input: half, left: 0, top: 160 }, { input: half, left: 240, top: 160 }]).jpeg().toBuffer();
  const tiny = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#d0d0d0' } })
    .composite([{ input: await sharp(EXAMPLE).resize(120, 160).toBuffer(), left: 180, top: 200 }]).jpeg().toBuffer();
  const noise = Buffer.alloc(480 * 640 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const busyBase = await sharp(noise, { raw: { width: 480, height: 640, channels: 3 } }).png().toBuffer();
  const cut = await sharp(EXAMPLE).extract({ left: 60, top: 60, width: 360, height: 480 }).toBuffer();
  const busy = await sharp(busyBase).composite([{ input: cut, left: 60, top: 160 }]).jpeg().toBuffer();
  const inputs = [await writeTemp(dir, 'pair.jpg', pair), await writeTemp(dir, 'tiny.jpg', tiny), await writeTemp(dir, 'busy.jpg', busy)];
  const out = join(dir, 'out');
  const run = await runCliInProcess(['fix', ...inputs, '--out-dir', out, '--lang', 'en', '--format', 'json']);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.files.map((f: { messageId: string }) => f.messageId), ['manyFaces', 'faceTooSmall', 'tooTightBelow']);
  for (const file of report.files) assert.match(file.message, /^Not fixed: /);
  assert.deepEqual(await readdir(out), []);
});

test('fix never overwrites: existing outputs need --force, an input is never replaced, links are not followed', async () => {
  const dir = await tempDir();
  const input = await writeTemp(dir, 'white.jpg', await onBackground([255, 255, 255]));
  const inputHash = await sha(input);
  const existing = await writeTemp(dir, 'taken.jpg', Buffer.from('precious'));
  const refused = JSON.parse((await runCliInProcess(['fix', input, '-o', existing, '--format', 'json', '--lang', 'en'])).stdout);
  assert.equal(refused.files[0].messageId, 'exists');
  assert.equal(await readFile(existing, 'utf8'), 'precious');
  const forced = JSON.parse((await runCliInProcess(['fix', input, '-o', existing, '--force', '--format', 'json'])).stdout);
  assert.equal(forced.files[0].status, 'fixed');
  assert.notEqual(await readFile(existing, 'utf8'), 'precious');

  const self = JSON.parse((await runCliInProcess(['fix', input, '-o', input, '--force', '--format', 'json'])).stdout);
  assert.equal(self.files[0].messageId, 'isInput');
  assert.equal(await sha(input), inputHash);

  const victim = await writeTemp(dir, 'victim.txt', Buffer.from('keep me'));
  await symlink(victim, join(dir, 'link.jpg'));
  const linked = JSON.parse((await runCliInProcess(['fix', input, '-o', join(dir, 'link.jpg'), '--force', '--format', 'json'])).stdout);
  assert.equal(linked.files[0].messageId, 'symlink');
  assert.equal(await readFile(victim, 'utf8'), 'keep me');
  // No temporary files are left behind.
  assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
});

test('fitToWindow: always in 30720–40000 bytes at the best quality its settings reach (the three above it do not fit), in few encodes', async () => {
  const encodes: number[] = [];
  const source = await sharp(ASTRONAUT).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < 8; i++) {
    const width = 200 + i * 35;
    const height = Math.min(512, Math.round((width * 4) / 3));
    const { data } = await sharp(source.data, { raw: { width: 512, height: 512, channels: 3 } })
      .extract({ left: (i * 29) % (512 - width + 1), top: (i * 13) % (512 - height + 1), width, height })
      .resize(480, 640, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    const image = { data, width: 480, height: 640 };
    const fit = await fitToWindow(image, { minBytes: 30720, maxBytes: 40000, minQuality: 60, density: 300 });
    assert.ok(fit.jpeg.length >= 30720 && fit.jpeg.length <= 40000, `${fit.jpeg.length}`);
    assert.ok(fit.quality >= 60);
    // The search's settings: trellis quantisation on the standard tables, or on mozjpeg's MS-SSIM tables (2).
    assert.ok(fit.settings === 'trellis' || fit.settings === 'mssimTables', fit.settings);
    const quantisationTable = fit.settings === 'trellis' ? 0 : 2;
    // The search may settle one below the top; two, three and four above it, none fits. (A sweep down
    // from 100 says the same, as the file size grows with the quality, at ten times the encodes.)
    for (let q = fit.quality + 2; q <= Math.min(100, fit.quality + 4); q++) {
      const jpeg = await sharp(data, { raw: { width: 480, height: 640, channels: 3 } })
        .jpeg({ quality: q, progressive: false, chromaSubsampling: '4:2:0', optimiseCoding: true, trellisQuantisation: true, quantisationTable })
        .toBuffer();
      // fix adds an 18-byte JFIF segment for the 300 dpi, nothing else.
      assert.ok(jpeg.length + 18 > 40000, `quality ${fit.quality} was chosen, but ${q} fits too (${jpeg.length + 18} bytes)`);
    }
    encodes.push(fit.encodes);
    const structure = (await sharp(fit.jpeg).metadata());
    assert.equal(structure.isProgressive, false);
    assert.equal(structure.density, 300);
  }
  encodes.sort((a, b) => a - b);
  // Two searches (fitToWindow), each a median of 2 encodes on the corpus.
  assert.ok(encodes[encodes.length >> 1] <= 4, `median encodes ${encodes}`);
});

test('fitToWindow: a decoded JPEG on its own grid is encoded once more at its own quality when that fits; moved off the grid it is not', async () => {
  const window = { minBytes: 30720, maxBytes: 40000, minQuality: 60, density: 300 };
  // The example is a 480x640 q86 JPEG of 39483 bytes: at q86 its coefficients come back nearly unchanged.
  const { data } = await sharp(EXAMPLE).raw().toBuffer({ resolveWithObject: true });
  const fit = await fitToWindow({ data, width: 480, height: 640 }, window);
  assert.deepEqual([fit.proof, fit.settings, fit.quality], ['grid', 'standard', 86]);
  assert.ok(fit.jpeg.length >= 30720 && fit.jpeg.length <= 40000, `${fit.jpeg.length}`);
  // Shifted by 3 pixels, the blocks no longer line up with the old ones: an ordinary search.
  const shifted = await sharp(data, { raw: { width: 480, height: 640, channels: 3 } }).extend({ left: 3, extendWith: 'copy' })
    .extract({ left: 0, top: 0, width: 480, height: 640 }).raw().toBuffer();
  const moved = await fitToWindow({ data: shifted, width: 480, height: 640 }, window);
  assert.notEqual(moved.proof, 'grid');
});

test('fix on the real ID photos in ../shared/photos, when present', { skip: !existsSync(join(ROOT, '..', 'shared', 'photos', 'id')) }, async () => {
  const dir = await tempDir();
  const id = join(ROOT, '..', 'shared', 'photos', 'id');
  const inputs = ['id-white-background.jpg', 'id-red-background.jpg', 'id-grey-background.jpg'].map((name) => join(id, name));
  const before = await Promise.all(inputs.map(sha));
  const run = await runCliInProcess(['fix', ...inputs, '--out-dir', dir, '--format', 'json', '--lang', 'en']);
  assert.deepEqual(JSON.parse(run.stdout).files.map((f: { status: string }) => f.status), ['fixed', 'fixed', 'fixed']);
  for (const name of ['id-white-background.jpg', 'id-red-background.jpg', 'id-grey-background.jpg']) await assertCompliantOutput(join(dir, name));
  assert.deepEqual(await Promise.all(inputs.map(sha)), before);
});


test('fix options match check: -o/--out <file> for one photo, --out-dir <dir> for several; a file name never becomes a folder', async () => {
  const dir = await tempDir();
  const input = await writeTemp(dir, 'white.jpg', await onBackground([255, 255, 255]));
  const second = await writeTemp(dir, 'second.jpg', await readFile(input));
  // `--out x.jpg` means the file x.jpg, as it does for check.
  const named = join(dir, 'x.jpg');
  const run = await runCliInProcess(['fix', input, '--out', named, '--format', 'json', '--lang', 'en']);
  assert.equal(JSON.parse(run.stdout).files[0].status, 'fixed', run.stdout + run.stderr);
  assert.ok((await stat(named)).isFile(), 'x.jpg is the fixed photo, not a folder');
  assert.deepEqual([...(await readFile(named)).subarray(0, 3)], [0xff, 0xd8, 0xff]);
  // Usage mistakes: one line saying what to do, exit 2, nothing written.
  const mistakes: [string[], RegExp][] = [
    [['fix', input, second, '-o', join(dir, 'two.jpg')], /^gradphoto: -o takes one photo; 2 were given \(use --out-dir <dir>\)$/m],
    [['fix', input, '--out-dir', join(dir, 'y.jpg')], /--out-dir .*y\.jpg looks like a file name; for one photo use -o .*y\.jpg/],
    [['fix', input, '-o', join(dir, 'sub')], /-o .*sub is a folder; to write into it use --out-dir .*sub/],
    [['fix', input], /fix needs -o <file> for one photo, or --out-dir <dir> for several/],
    [['fix', input, '-o', join(dir, 'z.jpg'), '--out-dir', join(dir, 'z')], /use either -o <file> or --out-dir <dir>, not both/],
  ];
  await mkdir(join(dir, 'sub'));
  for (const [args, message] of mistakes) {
    const mistake = await runCliInProcess([...args, '--lang', 'en']);
    assert.equal(mistake.code, 2, `${args.join(' ')}: ${mistake.stderr}`);
    assert.match(mistake.stderr, message);
  }
  // The same mistakes in Chinese when the language is (the default): no English left in them.
  const chinese: [string[], RegExp][] = [
    [['fix', input], /^gradphoto: fix 需要 -o <文件>（一张照片）或 --out-dir <文件夹>（多张照片）$/m],
    [['fix', input, second, '-o', join(dir, 'two.jpg')], /^gradphoto: -o 只能用于一张照片，这里给了 2 张/m],
    [['fix', input, '-o', join(dir, 'sub')], /-o .*sub 是文件夹；要写入该文件夹请用 --out-dir .*sub/],
    [['fix', input, '-o', join(dir, 'w.jpg'), '--background', 'white'], /^gradphoto: --background white：标准 ouc-graduate 允许的背景色为 blue（或 keep 保留原背景）$/m],
  ];
  for (const [args, message] of chinese) {
    const mistake = await runCliInProcess(args, { env: { LANG: 'zh_CN.UTF-8' } });
    assert.equal(mistake.code, 2, `${args.join(' ')}: ${mistake.stderr}`);
    assert.match(mistake.stderr, message);
  }
  assert.deepEqual((await readdir(dir)).sort(), ['second.jpg', 'sub', 'white.jpg', 'x.jpg']);
  assert.deepEqual(await readdir(join(dir, 'sub')), []);
});

test('fix --out-dir and check --annotate keep the subfolders: 甲班/照片.jpg and 乙班/照片.jpg stay apart', async () => {
  const dir = await tempDir();
  const classes = join(dir, 'class');
  for (const group of ['甲班', '乙班']) {
    await mkdir(join(classes, group), { recursive: true });
    await writeTemp(join(classes, group), '照片.jpg', await onBackground(group === '甲班' ? [255, 255, 255] : [200, 200, 200]));
  }
  const fixed = join(dir, 'fixed');
  const run = await runCliInProcess(['fix', classes, '--out-dir', fixed, '--format', 'json', '--lang', 'en']);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.files.map((f: { output: string }) => f.output), [join(fixed, '乙班', '照片.jpg'), join(fixed, '甲班', '照片.jpg')]);
  assert.deepEqual((await readdir(fixed)).sort(), ['乙班', '甲班']);
  for (const group of ['甲班', '乙班']) assert.deepEqual(await readdir(join(fixed, group)), ['照片.jpg']);
  const why = join(dir, 'why');
  await runCliInProcess(['check', classes, '--annotate', why]);
  for (const group of ['甲班', '乙班']) assert.deepEqual(await readdir(join(why, group)), ['照片.annotated.png']);
});

test('fix --name-by 身份证号: each fixed photo named by its student\'s ID number from the roster, for batch uploads', async () => {
  const dir = await tempDir();
  const photos = join(dir, 'class');
  await mkdir(photos);
  const white = await onBackground([255, 255, 255]);
  await writeTemp(photos, '2026001 张三.jpg', white);
  await writeTemp(photos, 'nobody.jpg', white);
  const roster = await writeTemp(dir, 'roster.csv', Buffer.from('学号,姓名,身份证号\n2026001,张三,11010519491231002X\n'));
  const fixed = join(dir, 'fixed');
  const run = await runCliInProcess(['fix', photos, '--out-dir', fixed, '--roster', roster, '--name-by', '身份证号', '--format', 'json', '--lang', 'en']);
  const files = JSON.parse(run.stdout).files as { input: string; output: string | null; status: string; messageId: string; message: string }[];
  assert.deepEqual(files.map((f) => [f.status, f.output]), [['fixed', join(fixed, '11010519491231002X.jpg')], ['refused', null]]);
  assert.equal(files[1].message, 'Not fixed: this photo matches nobody on the roster, so it cannot be named by 身份证号. Rename it with the student number or ID number.');
  assert.deepEqual(await readdir(fixed), ['11010519491231002X.jpg']);
  for (const [args, message] of [
    [['--name-by', '身份证号'], /--name-by 需要 --roster <名单文件> 才能知道每张照片是谁的/],
    [['--roster', roster, '--name-by', '电话'], /--name-by 的取值为 学号、身份证号 或 姓名，而不是 "电话"/],
    [['--roster', roster, '--name-by', '电话', '--lang', 'en'], /--name-by takes 学号, 身份证号 or 姓名, not "电话"/],
  ] as const) {
    const mistake = await runCliInProcess(['fix', photos, '--out-dir', fixed, ...args]);
    assert.equal(mistake.code, 2);
    assert.match(mistake.stderr, message);
  }
});
