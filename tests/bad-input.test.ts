import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { BIN, EXAMPLE, runCliInProcess, tempDir, writeTemp } from './helpers.js';

interface Report { files: { path: string; verdict: string; error?: { messageId: string; message: string }; checks: { rule: string; status: string; messageId: string; message: string }[] }[] }

/** EXIF orientation n on a JPEG of the example. */
const oriented = async (n: number) => sharp(EXAMPLE).resize(120, 160).jpeg().withMetadata({ orientation: n }).toBuffer();

test('a folder of bad inputs: each gets a verdict and a message that says what to do; the batch goes on', async () => {
  const dir = await tempDir();
  const good = await readFile(EXAMPLE);
  const small = sharp(EXAMPLE).resize(120, 160);
  const cases: [string, Buffer | 'dir' | 'loop' | 'fifo', string, string][] = [
    // name, bytes, expected verdict, expected messageId of the deciding check
    ['zero.jpg', Buffer.alloc(0), 'error', 'empty'],
    ['cut-10.jpg', good.subarray(0, 10), 'error', 'truncated'],
    ['cut-600.jpg', good.subarray(0, 600), 'error', 'truncated'],
    ['cut-half.jpg', good.subarray(0, good.length >> 1), 'error', 'truncated'],
    ['cut-end.jpg', good.subarray(0, good.length - 2), 'error', 'truncated'],
    ['random.jpg', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256)), 'error', 'notAnImage'],
    // A PNG signature, then noise: a corrupt header, named without libvips's shared error buffer's leftovers.
    ['broken.png', Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 104729 + 7) % 251))]), 'error', 'corrupt'],
    ['png.jpg', await small.clone().png().toBuffer(), 'fail', 'notJpeg'],
    ['webp.jpg', await small.clone().webp().toBuffer(), 'fail', 'notJpeg'],
    ['gif.jpg', await small.clone().gif().toBuffer(), 'fail', 'notJpeg'],
    ['tiff.jpg', await small.clone().tiff().toBuffer(), 'fail', 'notJpeg'],
    ['avif.jpg', await small.clone().avif().toBuffer(), 'fail', 'notJpeg'],
    // An iPhone-style HEIC container (ftyp heic) with an HEVC payload nothing here can decode.
    ['iphone.jpg', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(2000, 7)]), 'error', 'heic'],
    ['cmyk.jpg', await small.clone().toColourspace('cmyk').jpeg().toBuffer(), 'fail', 'cmyk'],
    ['grey.jpg', await small.clone().toColourspace('b-w').jpeg().toBuffer(), 'fail', 'greyscale'],
    ['sixteen.png', await small.clone().toColourspace('rgb16').png().toBuffer(), 'fail', 'sixteenBit'],
    ['corrupt-exif.jpg', Buffer.concat([good.subarray(0, 2), Buffer.from([0xff, 0xe1, 0x00, 0x20]), Buffer.from('Exif\0\0MM\0*\0\0\0\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff', 'latin1'), good.subarray(2)]), 'fail', 'ok'],
    ['张三 "quoted" it\'s.jpg', good, 'fail', 'ok'],
    ['folder.jpg', 'dir', 'error', 'isDirectory'],
    ['fifo.jpg', 'fifo', 'error', 'notRegularFile'],
  ];
  for (let n = 2; n <= 8; n++) cases.push([`orientation-${n}.jpg`, await oriented(n), 'fail', n === 3 ? 'rotated180' : n === 6 ? 'rotated90' : n === 8 ? 'rotated270' : 'mirrored']);
  const paths: string[] = [];
  for (const [name, bytes] of cases) {
    const path = join(dir, name);
    if (bytes === 'dir') await mkdir(path);
    else if (bytes === 'fifo') execFileSync('mkfifo', [path]);
    else await writeFile(path, bytes as Buffer);
    paths.push(path);
  }
  await mkdir(join(dir, 'loop'));
  await symlink(join(dir, 'loop'), join(dir, 'loop', 'again'));
  const run = await runCliInProcess(['check', ...paths, join(dir, 'loop'), '--format', 'json', '--lang', 'en', '-j', '2']);
  assert.equal(run.code, 1);
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .*:\d+:\d+/, 'a stack trace leaked');
  const report = JSON.parse(run.stdout) as Report;
  for (const [index, [name, , verdict, messageId]] of cases.entries()) {
    const file = report.files[index];
    assert.equal(file.path, paths[index]);
    assert.equal(file.verdict, verdict, `${name}: ${JSON.stringify(file.checks.filter((c) => c.status !== 'pass'))}`);
    // The expected finding is the file's error, or among its checks (orientation, decode or a failing one).
    const found = [file.error?.messageId,
      ...file.checks.filter((c) => c.status === 'fail' || c.rule === 'image.orientation' || c.rule === 'file.decode').map((c) => c.messageId)];
    assert.ok(found.includes(messageId), `${name}: expected ${messageId} among ${found.join(', ')}`);
    for (const check of file.checks.filter((c) => c.status === 'fail')) assert.ok(check.message.length > 20, `${name} ${check.rule}: "${check.message}"`);
  }
  const broken = report.files[cases.findIndex(([name]) => name === 'broken.png')];
  assert.match(broken.error!.message, /\(Input buffer has corrupt header\)/);
  // The folder holding only a link to itself is an error of its own, and nothing hung.
  assert.equal(report.files.at(-1)!.error?.messageId, 'emptyFolder');
  assert.equal(report.files.length, cases.length + 1);
});

test('a 50 MB file is read once and judged, not choked on', async () => {
  const dir = await tempDir();
  const path = await writeTemp(dir, 'huge.jpg', Buffer.concat([await readFile(EXAMPLE), Buffer.alloc(50 * 1024 * 1024)]));
  const run = await runCliInProcess(['check', path, '--format', 'json', '--lang', 'en']);
  const file = (JSON.parse(run.stdout) as Report).files[0];
  assert.equal(file.verdict, 'fail');
  assert.equal(file.checks.find((c) => c.rule === 'file.size')!.messageId, 'tooLarge');
  assert.equal(file.checks.find((c) => c.rule === 'file.trailing-data')!.messageId, 'trailing');
});

test('fix killed mid-run leaves only complete outputs, and never touches the inputs', async () => {
  const dir = await tempDir();
  const inputs: string[] = [];
  for (let i = 0; i < 6; i++) inputs.push(await writeTemp(dir, `in-${i}.jpg`, await sharp(EXAMPLE).modulate({ brightness: 1 + i * 0.01 }).jpeg({ quality: 95 }).toBuffer()));
  const hashes = await Promise.all(inputs.map(async (p) => createHash('sha256').update(await readFile(p)).digest('hex')));
  const out = join(dir, 'out');
  const child = spawn(process.execPath, [BIN, 'fix', ...inputs, '--out-dir', out], { stdio: 'ignore' });
  // Listen before killing: on a fast machine the run may already be over.
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  child.kill('SIGKILL');
  await exited;
  const written = (await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.jpg') && !name.startsWith('.'));
  for (const name of written) {
    const bytes = await readFile(join(out, name));
    assert.ok(bytes.length >= 30720 && bytes.length <= 40000, `${name}: ${bytes.length}`);
    assert.deepEqual([...bytes.subarray(-2)], [0xff, 0xd9], `${name} is cut short`);
  }
  assert.deepEqual(await Promise.all(inputs.map(async (p) => createHash('sha256').update(await readFile(p)).digest('hex'))), hashes);
});
