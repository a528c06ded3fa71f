import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stat } from 'node:fs/promises';
import { ASTRONAUT, EXAMPLE, check, examplePixels, fromRaw, only, statuses, tempDir, writeTemp } from './helpers.js';

test('image.dimensions: 480x640 passes; a 3:4 600x800 says a resize fixes it; square and landscape fail', async () => {
  const dir = await tempDir();
  const example = only(await check(EXAMPLE), 'image.dimensions');
  assert.equal(example.status, 'pass');
  assert.deepEqual(example.measured, { width: 480, height: 640 });
  const pixels = fromRaw(await examplePixels());
  const cases: [number, number, string][] = [[600, 800, 'rightAspect'], [500, 500, 'wrongAspect'], [640, 480, 'landscape']];
  for (const [width, height, messageId] of cases) {
    const bytes = await pixels.clone().resize(width, height, { fit: 'fill' }).jpeg().toBuffer();
    const c = only(await check(await writeTemp(dir, `${width}x${height}.jpg`, bytes)), 'image.dimensions');
    assert.equal(c.status, 'fail');
    assert.equal(c.messageId, messageId);
    assert.deepEqual(c.measured, { width, height });
  }
});

test('image.orientation + image.dimensions: EXIF orientation 6 on stored 640x480 pixels', async () => {
  const dir = await tempDir();
  const stored = await fromRaw(await examplePixels()).rotate(-90).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const result = await check(await writeTemp(dir, 'rotated.jpg', stored));
  const orientation = only(result, 'image.orientation');
  assert.equal(orientation.status, 'fail');
  assert.equal(orientation.messageId, 'rotated90');
  assert.equal(orientation.measured, 6);
  // Dimensions are judged as viewers show the photo: upright 480x640.
  assert.deepEqual(only(result, 'image.dimensions').measured, { width: 480, height: 640 });
  assert.deepEqual(statuses(await check(EXAMPLE), 'image.orientation'), ['pass:ok']);
});

test('image.color: the example is 24-bit sRGB; greyscale, colourless RGB, CMYK, 16-bit and alpha fail', async () => {
  const dir = await tempDir();
  const ok = only(await check(EXAMPLE), 'image.color');
  assert.equal(ok.status, 'pass');
  assert.ok((ok.measured as { meanChroma: number }).meanChroma > 20);
  const pixels = fromRaw(await examplePixels());
  const cases: [string, Buffer, string][] = [
    ['grey.jpg', await pixels.clone().toColourspace('b-w').jpeg().toBuffer(), 'greyscale'],
    ['grey-rgb.jpg', await pixels.clone().greyscale().toColourspace('srgb').jpeg().toBuffer(), 'noColour'],
    ['cmyk.jpg', await pixels.clone().toColourspace('cmyk').jpeg().toBuffer(), 'cmyk'],
    ['sixteen.png', await pixels.clone().toColourspace('rgb16').png().toBuffer(), 'sixteenBit'],
    ['alpha.png', await pixels.clone().ensureAlpha(0.5).png().toBuffer(), 'alpha'],
  ];
  for (const [name, bytes, messageId] of cases) {
    const found = statuses(await check(await writeTemp(dir, name, bytes)), 'image.color');
    assert.ok(found.includes(`fail:${messageId}`), `${name}: ${found}`);
  }
});

test('image.dpi: 300 passes, 72 and missing warn', async () => {
  const dir = await tempDir();
  const at300 = only(await check(EXAMPLE), 'image.dpi');
  assert.equal(at300.status, 'pass');
  assert.deepEqual(at300.measured, 300);
  const pixels = fromRaw(await examplePixels());
  const at72 = only(await check(await writeTemp(dir, '72.jpg', await pixels.clone().jpeg().withMetadata({ density: 72 }).toBuffer())), 'image.dpi');
  assert.equal(at72.status, 'warn');
  assert.equal(at72.measured, 72);
  const none = only(await check(await writeTemp(dir, 'none.jpg', await pixels.clone().png().toBuffer())), 'image.dpi');
  assert.equal(none.status, 'warn');
  assert.equal(none.messageId, 'missing');
});

test('image.jpeg-quality: estimated exactly for files encoded at known qualities', async () => {
  const dir = await tempDir();
  const pixels = fromRaw(await examplePixels());
  for (const quality of [20, 40, 59, 60, 61, 75, 85, 92, 97]) {
    const bytes = await pixels.clone().jpeg({ quality, mozjpeg: false }).toBuffer();
    const c = only(await check(await writeTemp(dir, `q${quality}.jpg`, bytes)), 'image.jpeg-quality');
    assert.deepEqual(c.measured, { quality, method: 'exact' }, `quality ${quality}`);
    assert.equal(c.status, quality >= 60 ? 'pass' : 'fail', `quality ${quality}`);
  }
  // Custom (mozjpeg) tables are estimated approximately, within a few steps.
  const moz = await pixels.clone().jpeg({ quality: 80, mozjpeg: true }).toBuffer();
  const estimate = only(await check(await writeTemp(dir, 'moz.jpg', moz)), 'image.jpeg-quality').measured as { quality: number; method: string };
  assert.equal(estimate.method, 'approximate');
  assert.ok(estimate.quality >= 65 && estimate.quality <= 95, JSON.stringify(estimate));
});

test('the astronaut source PNG: decodes, fails format, size and dimensions with measured values', async () => {
  const result = await check(ASTRONAUT);
  assert.equal(result.verdict, 'fail');
  assert.deepEqual(statuses(result, 'file.format'), ['fail:notJpeg']);
  assert.deepEqual(only(result, 'image.dimensions').measured, { width: 512, height: 512 });
  assert.equal(only(result, 'file.size').measured, (await stat(ASTRONAUT)).size);
  assert.equal(only(result, 'file.size').messageId, 'tooLarge');
});
