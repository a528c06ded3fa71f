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

test('--rule modules that throw null, return a function or call process.exit in worker threads: each photo says so, the batch completes', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'broken.mjs', Buffer.from(`const meta = { description: { en: 'broken', zh: '坏' }, messageIds: ['ok'], messages: { en: { ok: 'ok' }, zh: { ok: 'ok' } }, defaultOptions: {}, needs: 'bytes' };
export default [
  { id: 'local.null', meta, check() { throw null; } },
  { id: 'local.function', meta, check() { return () => 1; } },
  { id: 'local.exits', meta, check() { process.exit(5); } },
];`));
  // Enough photos for worker threads (workerCount), with whole photos among them so the threads are busy in sharp.
  const photos = join(dir, 'class');
  await mkdir(photos);
  const bytes = await readFile(EXAMPLE);
  for (let i = 0; i < 140; i++) await writeTemp(photos, `${String(i).padStart(3, '0')}.jpg`, i % 20 === 0 ? bytes : bytes.subarray(0, 3000));
  const run = await runCli(['check', photos, '--rule', rulePath, '-j', '2', '--lang', 'en', '--format', 'json']);
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /terminate called|Napi|\n\s+at /, 'no abort, no stack trace');
  const report = JSON.parse(run.stdout) as { files: { path: string; verdict: string; checks: { rule: string; status: string; message: string }[] }[] };
  assert.equal(report.files.length, 140);
  for (const file of report.files) {
    // A photo cannot pass on rules that did not run: its verdict is error, and each rule says why.
    assert.equal(file.verdict, 'error', file.path);
    const message = (rule: string) => file.checks.find((c) => c.rule === rule)!.message;
    assert.equal(message('local.null'), "Rule local.null could not run (it threw null), so the photo cannot pass until it does; the other rules ran. Please report this to the rule's author.");
    assert.match(message('local.function'), /\(it returned a function, not a finding \{ status, messageId \}\)/);
    assert.match(message('local.exits'), /\(it ended its thread \(exit code 5\)\)/);
    assert.ok(file.checks.some((c) => c.rule === 'file.size' && c.status !== 'skip'), 'the built-in rules ran');
  }
});

test('a --rule module that exits while it loads is a usage error naming why', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'exits-early.mjs', Buffer.from('process.exit(3);'));
  const run = await runCli(['check', EXAMPLE, '--rule', rulePath]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, 'gradphoto: loading the --rule modules failed: it ended its thread (exit code 3)\n');
  assert.equal(run.stdout, '');
});
