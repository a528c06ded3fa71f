import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import sharp from 'sharp';
import { EXAMPLE, check, examplePixels, fromRaw, only, padJpegTo, statuses, tempDir, writeTemp } from './helpers.js';

test('file.format: the example is a baseline JPEG named .jpg', async () => {
  const c = only(await check(EXAMPLE), 'file.format');
  assert.equal(c.status, 'pass');
  assert.deepEqual(c.measured, { container: 'JPEG', coding: 'baseline', extension: '.jpg' });
});

test('file.format: PNG bytes named .jpg are named as PNG', async () => {
  const dir = await tempDir();
  const png = await fromRaw(await examplePixels()).png().toBuffer();
  const result = await check(await writeTemp(dir, 'photo.jpg', png));
  const c = only(result, 'file.format');
  assert.equal(c.status, 'fail');
  assert.equal(c.messageId, 'notJpeg');
  assert.match(c.message, /^The file is PNG, not JPEG/);
  assert.equal(result.verdict, 'fail'); // decodable, so a fail, not an error
});

test('file.format: WebP, GIF, TIFF, AVIF named .jpg are each named', async () => {
  const dir = await tempDir();
  const pixels = fromRaw(await examplePixels()).resize(120, 160);
  const cases: [string, Buffer][] = [
    ['WebP', await pixels.clone().webp().toBuffer()],
    ['GIF', await pixels.clone().gif().toBuffer()],
    ['TIFF', await pixels.clone().tiff().toBuffer()],
    ['AVIF', await pixels.clone().avif().toBuffer()],
  ];
  for (const [format, bytes] of cases) {
    const c = only(await check(await writeTemp(dir, `${format}.jpg`, bytes)), 'file.format');
    assert.equal(c.status, 'fail', format);
    assert.equal((c.measured as { container: string }).container, format);
  }
});

test('file.format: a JPEG named .png fails with wrongExtension; progressive warns', async () => {
  const dir = await tempDir();
  const bytes = await readFile(EXAMPLE);
  assert.deepEqual(statuses(await check(await writeTemp(dir, 'photo.png', bytes)), 'file.format'), ['fail:wrongExtension']);
  assert.deepEqual(statuses(await check(await writeTemp(dir, 'PHOTO.JPEG', bytes)), 'file.format'), ['pass:ok']);
  const progressive = await fromRaw(await examplePixels()).jpeg({ quality: 75, progressive: true }).toBuffer();
  const c = only(await check(await writeTemp(dir, 'progressive.jpg', progressive)), 'file.format');
  assert.equal(c.status, 'warn');
  assert.equal((c.measured as { coding: string }).coding, 'progressive');
});

test('file.size: the example lands in 30720–40000 bytes', async () => {
  const c = only(await check(EXAMPLE), 'file.size');
  assert.equal(c.status, 'pass');
  assert.ok((c.measured as number) >= 30720 && (c.measured as number) <= 40000, String(c.measured));
});

test('file.size: a 60 KB re-encode fails, the ambiguous bands warn, a small file fails', async () => {
  const dir = await tempDir();
  const pixels = await examplePixels();
  const big = await fromRaw(pixels).jpeg({ quality: 97 }).toBuffer();
  assert.ok(big.length > 55_000 && big.length < 80_000, `quality 97 gave ${big.length} bytes`);
  const bigCheck = only(await check(await writeTemp(dir, 'big.jpg', big)), 'file.size');
  assert.equal(bigCheck.status, 'fail');
  assert.equal(bigCheck.messageId, 'tooLarge');
  assert.equal(bigCheck.measured, big.length);

  const small = await fromRaw(pixels).jpeg({ quality: 50 }).toBuffer();
  assert.ok(small.length < 30000, `quality 50 gave ${small.length} bytes`);
  const sizes: [number, string][] = [
    [small.length, 'fail:tooSmall'], [30000, 'warn:nearLow'], [30719, 'warn:nearLow'], [30720, 'pass:ok'],
    [40000, 'pass:ok'], [40001, 'warn:nearHigh'], [40960, 'warn:nearHigh'], [40961, 'fail:tooLarge'],
  ];
  for (const [size, expected] of sizes) {
    const bytes = size === small.length ? small : padJpegTo(small, size);
    assert.equal(bytes.length, size);
    const result = await check(await writeTemp(dir, `size-${size}.jpg`, bytes));
    assert.deepEqual(statuses(result, 'file.size'), [expected], `${size} bytes`);
    assert.equal(only(result, 'file.size').measured, size);
  }
});

test('file.trailing-data: padding after the end marker warns with the byte count', async () => {
  const dir = await tempDir();
  const bytes = await readFile(EXAMPLE);
  assert.deepEqual(statuses(await check(EXAMPLE), 'file.trailing-data'), ['pass:ok']);
  const padded = Buffer.concat([bytes, Buffer.alloc(500)]);
  const c = only(await check(await writeTemp(dir, 'padded.jpg', padded)), 'file.trailing-data');
  assert.equal(c.status, 'warn');
  assert.equal(c.measured, 500);
  const twice = Buffer.concat([bytes, bytes]);
  assert.deepEqual(statuses(await check(await writeTemp(dir, 'mpo.jpg', twice)), 'file.trailing-data'), ['warn:secondImage']);
});

test('file.decode: the example decodes; truncated, empty and random files are errors, the verdict says error', async () => {
  const dir = await tempDir();
  const bytes = await readFile(EXAMPLE);
  assert.deepEqual(statuses(await check(EXAMPLE), 'file.decode'), ['pass:ok']);
  const cases: [string, Buffer, string][] = [
    ['truncated.jpg', bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated'],
    ['empty.jpg', Buffer.alloc(0), 'empty'],
    ['random.jpg', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251)), 'notAnImage'],
  ];
  for (const [name, data, messageId] of cases) {
    const result = await check(await writeTemp(dir, name, data));
    assert.equal(result.verdict, 'error', name);
    assert.equal(result.error?.messageId, messageId, name);
    assert.deepEqual(statuses(result, 'file.decode'), [`fail:${messageId}`], name);
    // pixel rules do not run on an undecodable file; byte-level rules report on a picture's bytes (a truncated
    // JPEG's size and format), and on bytes that are no picture at all (empty, noise) only file.decode speaks:
    // "not JPEG, convert it" and "too small, save at a higher quality" would be advice about nothing.
    assert.equal(result.checks.some((c) => c.rule === 'image.dimensions'), false);
    if (messageId === 'truncated') assert.equal(only(result, 'file.size').measured, data.length);
    else assert.deepEqual(result.checks.map((c) => c.rule), ['file.decode'], name);
  }
});

test('file.decode: a JPEG declaring 60000x60000 pixels is refused fast, by size', async () => {
  const dir = await tempDir();
  const header = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  // Patch the frame header's height and width to 60000.
  const sof = header.indexOf(Buffer.from([0xff, 0xc0]));
  header.writeUInt16BE(60000, sof + 5);
  header.writeUInt16BE(60000, sof + 7);
  const started = performance.now();
  const result = await check(await writeTemp(dir, 'bomb.jpg', header));
  assert.ok(performance.now() - started < 2000);
  assert.equal(result.verdict, 'error');
  assert.equal(result.error?.messageId, 'tooManyPixels');
  assert.match(result.error!.message, /60000x60000/);
});

test('file.format: an HEIC named .heic is told it is HEIC, not that its name does not match', async () => {
  const dir = await tempDir();
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(2000, 7)]);
  for (const lang of ['en', 'zh'] as const) {
    const named = only(await check(await writeTemp(dir, 'IMG_0001.heic', heic), lang), 'file.format');
    assert.deepEqual([named.status, named.messageId], ['fail', 'heic']);
    assert.doesNotMatch(named.message, /\.heic|whatever|不符/i, named.message);
    assert.match(named.message, lang === 'en' ? /^The file is HEIC \(the iPhone format\), not JPEG\./ : /^文件是 HEIC 格式（iPhone 格式），不是 JPEG。/);
  }
  const misnamed = only(await check(await writeTemp(dir, 'photo.jpg', heic)), 'file.format');
  assert.match(misnamed.message, /^The file is HEIC/);
});
