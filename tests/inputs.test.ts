import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { EXAMPLE, runCliInProcess, tempDir } from './helpers.js';

type Report = { files: { path: string; verdict: string; checks: { rule: string; status: string; messageId: string; message: string }[] }[] };

test('inputs: a quoted pattern is expanded, a photo named twice is checked once, a pattern matching nothing says so', async () => {
  const dir = await tempDir();
  const cls = join(dir, '甲班');
  await mkdir(cls);
  for (const name of ['2026010001.jpg', '2026010002.jpg', 'notes.txt']) await copyFile(EXAMPLE, join(cls, name));
  // As a Windows shell (or a quoted argument) passes it: the pattern itself.
  const pattern = await runCliInProcess(['check', `${cls}/*.jpg`, '--format', 'json']);
  const expanded = JSON.parse(pattern.stdout) as Report;
  assert.deepEqual(expanded.files.map((f) => f.path), [join(cls, '2026010001.jpg'), join(cls, '2026010002.jpg')]);
  // The folder and one of its photos again, by another spelling: each photo once.
  const twice = JSON.parse((await runCliInProcess(['check', cls, join(cls, '.', '2026010002.jpg'), '--format', 'json'])).stdout) as Report;
  assert.equal(twice.files.length, 3, twice.files.map((f) => f.path).join(', ')); // two photos and notes.txt (a JPEG by its bytes)
  assert.equal(new Set(twice.files.map((f) => f.path.replace(/\/\.\//, '/'))).size, 3);
  const none = await runCliInProcess(['check', `${cls}/*.png`, '--format', 'json', '--lang', 'en']);
  const missing = JSON.parse(none.stdout) as Report;
  assert.equal(missing.files[0].verdict, 'error');
  assert.equal(missing.files[0].checks[0].messageId, 'noMatch');
});

test('inputs: "-" reads the photo from standard input (cat photo.jpg | gradphoto check -)', async () => {
  const { code, stdout } = await runCliInProcess(['check', '-', '--format', 'json'], { stdin: await readFile(EXAMPLE) });
  const report = JSON.parse(stdout) as Report;
  assert.equal(code, 1); // the example fails (a grey backdrop), so the exit code says so
  assert.equal(report.files.length, 1);
  assert.equal(report.files[0].path, '-');
  assert.equal(report.files[0].verdict, 'fail');
  assert.ok(report.files[0].checks.some((c) => c.rule === 'background.color' && c.messageId === 'otherColour'));
  // Standard input has no file name to judge: the JPEG's format passes (it was "named (none), rename it to .jpg").
  assert.deepEqual(report.files[0].checks.filter((c) => c.rule === 'file.format').map((c) => `${c.status}:${c.messageId}`), ['pass:ok']);
  // A PNG on standard input is still not a JPEG, by its bytes.
  const png = JSON.parse((await runCliInProcess(['check', '-', '--format', 'json', '--lang', 'en'], { stdin: await sharp(EXAMPLE).png().toBuffer() })).stdout) as Report;
  assert.deepEqual(png.files[0].checks.filter((c) => c.rule === 'file.format').map((c) => `${c.status}:${c.messageId}`), ['fail:notJpeg']);
  assert.doesNotMatch(png.files[0].checks.find((c) => c.rule === 'file.format')!.message, /\.(jpe?g|png)\b|\(none\)/);
});
