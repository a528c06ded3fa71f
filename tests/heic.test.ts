import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { EXAMPLE, check, examplePixels, only, runCliInProcess, tempDir, writeTemp } from './helpers.js';
import { FFMPEG, makeHeic } from './heic.js';

const noEncoder = !FFMPEG && 'no HEVC encoder: @ffmpeg-installer/ffmpeg has no ffmpeg build for this platform';

test('HEIC (an iPhone photo) is decoded: file.format fails the HEIC itself, every other rule is measured', { skip: noEncoder }, async () => {
  const dir = await tempDir();
  const pixels = await examplePixels();
  const heic = await makeHeic(pixels.data, pixels.width, pixels.height);
  const path = await writeTemp(dir, 'IMG_0001.HEIC', heic);
  const heicResult = await check(path);
  const jpegResult = await check(EXAMPLE);
  assert.equal(heicResult.verdict, 'fail', JSON.stringify(heicResult.error));
  assert.deepEqual([only(heicResult, 'file.decode').status, only(heicResult, 'file.format').messageId], ['pass', 'heic']);
  assert.equal(only(heicResult, 'file.format').status, 'fail');
  // The picture is the example's, so what its face and backdrop measure is the example's, within coding noise.
  for (const rule of ['face.count', 'face.size', 'image.dimensions', 'background.color', 'face.forehead-visible']) {
    assert.equal(only(heicResult, rule).status === 'skip', false, `${rule} skipped`);
    assert.equal(only(heicResult, rule).messageId, only(jpegResult, rule).messageId, rule);
  }
  const width = only(heicResult, 'face.size').measured as number;
  assert.ok(Math.abs(width - (only(jpegResult, 'face.size').measured as number)) <= 4, `face width ${width}`);
});

test('fix IMG_0001.HEIC -o photo.jpg writes a JPEG that meets the file rules', { skip: noEncoder }, async () => {
  const dir = await tempDir();
  const pixels = await examplePixels();
  const input = await writeTemp(dir, 'IMG_0001.HEIC', await makeHeic(pixels.data, pixels.width, pixels.height));
  const out = join(dir, 'photo.jpg');
  const run = await runCliInProcess(['fix', input, '-o', out, '--format', 'json', '--lang', 'en']);
  const entry = JSON.parse(run.stdout).files[0];
  assert.equal(entry.status, 'fixed', run.stdout + run.stderr);
  const bytes = await readFile(out);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.ok(bytes.length >= 30720 && bytes.length <= 40000, `${bytes.length} bytes`);
  const meta = await sharp(bytes).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 480, 640]);
  const result = await check(out);
  for (const rule of ['file.format', 'file.size', 'image.dimensions', 'background.color']) assert.equal(only(result, rule).status, 'pass', rule);
});
