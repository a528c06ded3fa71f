import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { ASTRONAUT, EXAMPLE, runCli, tempDir, writeTemp } from './helpers.js';

type Check = { rule: string; status: string; messageId: string; message: string; measured: { hashDistance: number; landmarkDistance: number } };
const admissionOf = (file: { checks: Check[] }) => file.checks.find((c) => c.rule === 'admission.different')!;

test('admission.different: the admission photo cropped, resized or re-encoded fails; another picture passes', async () => {
  const dir = await tempDir();
  const variants = {
    'cropped.jpg': await sharp(EXAMPLE).extract({ left: 40, top: 30, width: 400, height: 533 }).resize(600, 800).jpeg({ quality: 70 }).toBuffer(),
    'smaller.jpg': await sharp(EXAMPLE).resize(240, 320).jpeg({ quality: 60 }).toBuffer(),
    'brighter.jpg': await sharp(EXAMPLE).modulate({ brightness: 1.1 }).jpeg({ quality: 50 }).toBuffer(),
    // Another picture: a different crop of the source at its own resolution, another moment's framing.
    'other.jpg': await sharp(ASTRONAUT).removeAlpha().extract({ left: 60, top: 0, width: 360, height: 480 }).flop().jpeg({ quality: 90 }).toBuffer(),
  };
  const paths: string[] = [];
  for (const [name, bytes] of Object.entries(variants)) paths.push(await writeTemp(dir, name, bytes));
  const run = await runCli(['check', ...paths, '--admission-photo', EXAMPLE, '--format', 'json', '--lang', 'en']);
  const files = JSON.parse(run.stdout).files as { checks: Check[] }[];
  for (const index of [0, 1, 2]) {
    const c = admissionOf(files[index]);
    assert.equal(c.messageId, 'same', JSON.stringify(c.measured));
    assert.ok(c.measured.hashDistance <= 8);
  }
  const other = admissionOf(files[3]);
  assert.notEqual(other.messageId, 'same', JSON.stringify(other.measured));
  assert.ok(other.measured.hashDistance > 8, JSON.stringify(other.measured));
});

test('admission.different with a folder: matched by file name; a photo without a match is skipped; off without the option', async () => {
  const dir = await tempDir();
  const admissions = join(dir, 'admission');
  await mkdir(admissions);
  await copyFile(EXAMPLE, join(admissions, '2026001.jpg'));
  const grad = join(dir, 'graduation');
  await mkdir(grad);
  await writeTemp(grad, '2026001.jpg', await sharp(EXAMPLE).resize(360, 480).jpeg({ quality: 80 }).toBuffer());
  await copyFile(EXAMPLE, join(grad, '2026002.jpg'));
  await writeTemp(admissions, '2026001.png', await sharp(ASTRONAUT).png().toBuffer()); // a second file for the same student
  const run = await runCli(['check', grad, '--admission-photo', admissions, '--format', 'json']);
  assert.match(run.stderr, /two photos for 2026001 \(.*2026001\.jpg, .*2026001\.png\); comparing with the first/);
  const files = JSON.parse(run.stdout).files;
  assert.equal(admissionOf(files[0]).messageId, 'same');
  assert.equal(admissionOf(files[1]).messageId, 'noReference');
  const without = JSON.parse((await runCli(['check', grad, '--format', 'json'])).stdout).files;
  assert.equal(without[0].checks.some((c: Check) => c.rule === 'admission.different'), false);
});

test('admission.different: a broken or faceless admission photo concerns only its student; the run goes on', async () => {
  const dir = await tempDir();
  const admissions = join(dir, 'admission');
  await mkdir(admissions);
  await copyFile(EXAMPLE, join(admissions, '2026001.jpg'));
  await writeTemp(admissions, '2026002.jpg', Buffer.from('not a jpeg at all'));
  await writeTemp(admissions, '2026003.jpg', await sharp({ create: { width: 480, height: 640, channels: 3, background: '#4a7bd0' } }).jpeg().toBuffer());
  const grad = join(dir, 'graduation');
  await mkdir(grad);
  for (const id of ['2026001', '2026002', '2026003']) await copyFile(EXAMPLE, join(grad, `${id}.jpg`));
  const run = await runCli(['check', grad, '--admission-photo', admissions, '--format', 'json', '--lang', 'en']);
  assert.equal(run.code, 1, run.stderr);
  const files = JSON.parse(run.stdout).files as { checks: Check[] }[];
  assert.equal(files.length, 3);
  assert.equal(admissionOf(files[0]).messageId, 'same');
  const broken = admissionOf(files[1]);
  assert.deepEqual([broken.status, broken.messageId], ['warn', 'referenceUnreadable']);
  assert.match(broken.message, /2026002\.jpg could not be read/);
  const faceless = admissionOf(files[2]);
  assert.deepEqual([faceless.status, faceless.messageId], ['warn', 'referenceNoFace']);
});
