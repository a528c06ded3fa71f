import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE, runCli, tempDir, writeTemp } from './helpers.js';

// The README's example rule, verbatim in shape: a plain ES module that needs nothing from gradphoto.
const EXTRA_RULE = `
export default {
  id: 'local.name-is-student-id',
  meta: {
    description: { en: 'file named by an 8-14 digit student number', zh: '文件名为 8–14 位学号' },
    messageIds: ['ok', 'badName'],
    messages: {
      en: { ok: 'Named {name}.', badName: '{name} is not a student number; rename the file to the student number.' },
      zh: { ok: '文件名为 {name}。', badName: '{name} 不是学号，请用学号命名文件。' },
    },
    defaultOptions: { pattern: '^\\\\d{8,14}$' },
    needs: 'bytes',
  },
  check({ photo, options }) {
    const name = photo.path.split(/[\\\\/]/).pop().replace(/\\.[^.]*$/, '');
    const ok = new RegExp(options.pattern).test(name);
    return { status: ok ? 'pass' : 'fail', messageId: ok ? 'ok' : 'badName', data: { name }, measured: name, expected: options.pattern };
  },
};
`;

test('--rule loads an extra rule module that runs like a built-in one', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'my-rule.mjs', Buffer.from(EXTRA_RULE));
  const run = await runCli(['check', EXAMPLE, '--rule', rulePath, '--format', 'json', '--lang', 'en']);
  const report = JSON.parse(run.stdout);
  const check = report.files[0].checks.find((c: { rule: string }) => c.rule === 'local.name-is-student-id');
  assert.equal(check.status, 'fail');
  assert.equal(check.message, 'example is not a student number; rename the file to the student number.');
  assert.equal(report.files[0].verdict, 'fail');
  assert.equal(run.code, 1);

  const zh = JSON.parse((await runCli(['check', EXAMPLE, '--rule', rulePath, '--format', 'json', '--lang', 'zh'])).stdout);
  assert.equal(zh.files[0].checks.at(-1).message, 'example 不是学号，请用学号命名文件。');
});

test('--rule with a module that is not a rule is a usage error naming the file', async () => {
  const dir = await tempDir();
  const bad = await writeTemp(dir, 'bad.mjs', Buffer.from('export default { hello: 1 };'));
  const run = await runCli(['check', EXAMPLE, '--rule', bad]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\.mjs does not export a rule/);
  const missing = await runCli(['check', EXAMPLE, '--rule', join(dir, 'nope.mjs')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot load rule module/);
});

test('a --rule module that ends its worker thread stops the run with a message naming the photo, not a hang', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'exits.mjs', Buffer.from(`export default {
  id: 'local.exits',
  meta: { description: { en: 'exits', zh: '退出' }, messageIds: ['ok'], messages: { en: { ok: 'ok' }, zh: { ok: 'ok' } }, defaultOptions: {}, needs: 'bytes' },
  check() { process.exit(5); },
};`));
  // Enough photos for worker threads (workerCount); small batches run on the main thread, where exit ends the process.
  const photos = join(dir, 'class');
  await mkdir(photos);
  const bytes = await readFile(EXAMPLE);
  for (let i = 0; i < 140; i++) await writeTemp(photos, `${String(i).padStart(3, '0')}.jpg`, bytes.subarray(0, 3000));
  const run = await runCli(['check', photos, '--rule', rulePath, '-j', '2', '--lang', 'en']);
  assert.equal(run.code, 2, run.stderr); // the run could not finish: 2, not the photos' 1
  assert.match(run.stderr, /a checking thread stopped \(exit code 5\) while checking .*class\/\d{3}\.jpg; a --rule module that calls process\.exit/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
});
