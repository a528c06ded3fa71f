import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { loadPhotoBytes } from '../src/core/load.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A small JPEG with its own EXIF: a camera make and a GPS position. */
async function withExif(make: string, latitude: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 80, channels: 3, background: '#8090a0' } })
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Make: make }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: `${latitude}/1 0/1 0/1`, GPSLongitudeRef: 'E', GPSLongitude: '121/1 0/1 0/1' } })
    .toBuffer();
}

test('loading photos keeps no memory per photo: EXIF of each is its own, and 400 loads leave the heap where it was', async () => {
  const a = await withExif('Alpha', 31); const b = await withExif('Beta', 40);
  const first = await loadPhotoBytes('a.jpg', a); const second = await loadPhotoBytes('b.jpg', b);
  assert.ok(first.kind === 'photo' && second.kind === 'photo');
  assert.equal(first.photo.exif?.Make, 'Alpha');
  assert.equal(second.photo.exif?.Make, 'Beta');
  assert.equal(Math.round(Number(first.photo.exif?.latitude)), 31);
  assert.equal(Math.round(Number(second.photo.exif?.latitude)), 40);
  // exifr caches its options by object: a fresh options object a photo grew the heap by about 7 KiB a
  // photo (2.8 MiB over these 400), without bound over a province's folders.
  for (let i = 0; i < 50; i++) await loadPhotoBytes('warm.jpg', i % 2 ? a : b);
  gc(); gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 400; i++) await loadPhotoBytes(`p${i}.jpg`, i % 2 ? a : b);
  gc(); gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 1024 * 1024, `the heap grew ${(grown / 1024).toFixed(0)} KiB over 400 loads`);
});
