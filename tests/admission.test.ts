import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { ASTRONAUT, EXAMPLE, runCliInProcess, tempDir, writeTemp } from './helpers.js';

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
  const run = await runCliInProcess(['check', ...paths, '--admission-photo', EXAMPLE, '--format', 'json', '--lang', 'en']);
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
  const run = await runCliInProcess(['check', grad, '--admission-photo', admissions, '--format', 'json']);
  assert.match(run.stderr, /two photos for 2026001 \(.*2026001\.jpg, .*2026001\.png\); comparing with the first/);
  const files = JSON.parse(run.stdout).files;
  assert.equal(admissionOf(files[0]).messageId, 'same');
  assert.equal(admissionOf(files[1]).messageId, 'noReference');
  const without = JSON.parse((await runCliInProcess(['check', grad, '--format', 'json'])).stdout).files;
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
  const run = await runCliInProcess(['check', grad, '--admission-photo', admissions, '--format', 'json', '--lang', 'en']);
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

test('admission.different with a folder and --roster: matched by the 学号 or 身份证号 in the names; each photo without a match is told so', async () => {
  const dir = await tempDir();
  const admissions = join(dir, 'admission');
  await mkdir(admissions);
  await copyFile(EXAMPLE, join(admissions, '2026010004 赵六.jpg'));
  await copyFile(EXAMPLE, join(admissions, '11010519491231002X.jpg')); // named by the ID number
  const grad = join(dir, 'graduation');
  await mkdir(grad);
  const smaller = await sharp(EXAMPLE).resize(360, 480).jpeg({ quality: 80 }).toBuffer();
  for (const name of ['2026010004.jpg', '2026010005.jpg', '2026010006.jpg', 'IMG_0001.jpg']) await writeTemp(grad, name, smaller);
  const roster = await writeTemp(dir, 'roster.csv', Buffer.from('学号,姓名,身份证号\n2026010004,赵六,\n2026010005,钱七,\n2026010006,孙八,11010519491231002X\n'));
  const run = await runCliInProcess(['check', grad, '--admission-photo', admissions, '--roster', roster, '--format', 'json', '--lang', 'en']);
  const files = JSON.parse(run.stdout).files as { path: string; checks: Check[] }[];
  const byName = (name: string) => admissionOf(files.find((f) => f.path.endsWith(name))!);
  assert.equal(byName('2026010004.jpg').messageId, 'same');
  assert.equal(byName('2026010006.jpg').messageId, 'same', 'matched through the roster\'s ID number');
  const missing = byName('2026010005.jpg');
  assert.deepEqual([missing.status, missing.messageId], ['warn', 'noReference']);
  assert.equal(missing.message, `No admission photo found for this photo: no file in ${admissions} has 2026010005 in its name. Name the admission photo by the student number or ID number.`);
  const unnamed = byName('IMG_0001.jpg');
  assert.deepEqual([unnamed.status, unnamed.messageId], ['warn', 'noKey']);
  // Without the roster, the long number in a name is the key.
  const plain = JSON.parse((await runCliInProcess(['check', join(grad, '2026010004.jpg'), '--admission-photo', admissions, '--format', 'json'])).stdout);
  assert.equal(admissionOf(plain.files[0]).messageId, 'same');
});

test('--admission-photo and the admission folder: what is wrong is said in words, not as an id', async () => {
  const dir = await tempDir();
  const missing = await runCliInProcess(['check', EXAMPLE, '--admission-photo', join(dir, 'nope.jpg'), '--lang', 'en']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `gradphoto: --admission-photo ${join(dir, 'nope.jpg')}: No such file or folder: ${join(dir, 'nope.jpg')}. Check the path.\n`);
  const admissions = join(dir, 'admission');
  await mkdir(admissions);
  await writeTemp(admissions, '2026002.jpg', Buffer.from('not a jpeg at all'));
  const grad = await writeTemp(dir, '2026002.jpg', await readFile(EXAMPLE));
  for (const [lang, words] of [['en', /could not be read \(it is not a picture\)/], ['zh', /无法读取（不是图片）/]] as const) {
    const run = await runCliInProcess(['check', grad, '--admission-photo', admissions, '--format', 'json', '--lang', lang]);
    const broken = admissionOf(JSON.parse(run.stdout).files[0]);
    assert.equal(broken.messageId, 'referenceUnreadable');
    assert.match(broken.message, words);
    assert.doesNotMatch(broken.message, /notAnImage/);
  }
});
