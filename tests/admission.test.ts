import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { ASTRONAUT, EXAMPLE, runCli, tempDir, writeTemp } from './helpers.js';

type Check = { rule: string; status: string; messageId: string; measured: { hashDistance: number; landmarkDistance: number } };
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
  const files = JSON.parse((await runCli(['check', grad, '--admission-photo', admissions, '--format', 'json'])).stdout).files;
  assert.equal(admissionOf(files[0]).messageId, 'same');
  assert.equal(admissionOf(files[1]).messageId, 'noReference');
  const without = JSON.parse((await runCli(['check', grad, '--format', 'json'])).stdout).files;
  assert.equal(without[0].checks.some((c: Check) => c.rule === 'admission.different'), false);
});
