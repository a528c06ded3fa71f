import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { extraRuleOptions, resolveRules } from '../src/core/run.js';
import { defaultProfile } from '../src/profiles/index.js';
import { builtinRules } from '../src/rules/index.js';
import { EXAMPLE, runCliInProcess, tempDir, writeTemp } from './helpers.js';

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
  const run = await runCliInProcess(['check', EXAMPLE, '--rule', rulePath, '--format', 'json', '--lang', 'en']);
  const report = JSON.parse(run.stdout);
  const check = report.files[0].checks.find((c: { rule: string }) => c.rule === 'local.name-is-student-id');
  assert.equal(check.status, 'fail');
  assert.equal(check.message, 'example is not a student number; rename the file to the student number.');
  assert.equal(report.files[0].verdict, 'fail');
  assert.equal(run.code, 1);

  const zh = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--rule', rulePath, '--format', 'json', '--lang', 'zh'])).stdout);
  assert.equal(zh.files[0].checks.at(-1).message, 'example 不是学号，请用学号命名文件。');
});

test('--rule with a module that is not a rule is a usage error naming the file', async () => {
  const dir = await tempDir();
  const bad = await writeTemp(dir, 'bad.mjs', Buffer.from('export default { hello: 1 };'));
  const run = await runCliInProcess(['check', EXAMPLE, '--rule', bad]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\.mjs does not export a rule/);
  const missing = await runCliInProcess(['check', EXAMPLE, '--rule', join(dir, 'nope.mjs')]);
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
  const run = await runCliInProcess(['check', photos, '--rule', rulePath, '-j', '2', '--lang', 'en', '--format', 'json']);
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
  const run = await runCliInProcess(['check', EXAMPLE, '--rule', rulePath]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, 'gradphoto: loading the --rule modules failed: it ended its thread (exit code 3)\n');
  assert.equal(run.stdout, '');
});

test('--rule-options reaches the rule\'s check as context.options; gradphoto rules --rule lists the rule after the built-ins', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'my-rule.mjs', Buffer.from(EXTRA_RULE));
  // A photo cut short: only byte-level rules run (this one among them), so no face model is needed.
  const photo = await writeTemp(dir, 'abc.jpg', (await readFile(EXAMPLE)).subarray(0, 2000));
  const check = async (...extra: string[]) => {
    const run = await runCliInProcess(['check', photo, '--rule', rulePath, '--format', 'json', '--lang', 'en', ...extra]);
    return (JSON.parse(run.stdout) as { files: { checks: { rule: string; status: string; expected: unknown }[] }[] }).files[0].checks.find((c) => c.rule === 'local.name-is-student-id')!;
  };
  const plain = await check();
  assert.equal(plain.status, 'fail');
  assert.equal(plain.expected, '^\\d{8,14}$');
  const letters = await check('--rule-options', '{"local.name-is-student-id": {"pattern": "^[a-z]+$"}}');
  assert.equal(letters.status, 'pass');
  assert.equal(letters.expected, '^[a-z]+$');

  const notJson = await runCliInProcess(['check', photo, '--rule', rulePath, '--rule-options', '{pattern: 1}']);
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /^gradphoto: --rule-options is not JSON \(.*\); give an object keyed by rule id/);
  const wrongKey = await runCliInProcess(['check', photo, '--rule', rulePath, '--rule-options', '{"local.name-is-student-id": {"patern": "x"}}']);
  assert.equal(wrongKey.code, 2);
  assert.equal(wrongKey.stderr, 'gradphoto: --rule-options for local.name-is-student-id: unknown option "patern" (it takes pattern)\n');

  const listing = await runCliInProcess(['rules', '--rule', rulePath, '--rule-options', '{"local.name-is-student-id": {"pattern": "^[a-z]+$"}}', '--lang', 'en']);
  assert.equal(listing.code, 0, listing.stderr);
  const lines = listing.stdout.trimEnd().split('\n');
  assert.match(lines.at(-2)!, /^local\.name-is-student-id +file named by an 8-14 digit student number \(--rule\)$/);
  assert.match(lines.at(-1)!, /^ +pattern=\^\[a-z\]\+\$$/);
  assert.ok(lines.findIndex((l) => l.startsWith('admission.different')) < lines.length - 2, 'the built-ins come first');
});

test('rule options are checked against the rule\'s defaultOptions, each mistake named', () => {
  const rule = { id: 'local.r', meta: { description: { en: '', zh: '' }, messageIds: ['ok'], defaultOptions: { pattern: 'x', max: 3, on: true } }, check: () => ({ status: 'pass' as const, messageId: 'ok' }) };
  assert.deepEqual(extraRuleOptions([rule], { 'local.r': { max: 5 } }), { 'local.r': { max: 5 } });
  assert.deepEqual(extraRuleOptions([rule], undefined), {});
  const mistakes: [unknown, string][] = [
    [[1], 'rule options must be an object keyed by rule id, like {"local.my-rule": {"pattern": "^\\d+$"}}, not an array'],
    [{ 'local.r': 'x' }, 'rule options for local.r must be an object, not a string'],
    [{ 'local.r': { maxx: 1 } }, 'rule options for local.r: unknown option "maxx" (it takes pattern, max, on)'],
    [{ 'local.r': { max: '5' } }, 'rule options for local.r: "max" must be a number (as in its defaultOptions), not a string'],
    [{ 'local.r': { on: null } }, 'rule options for local.r: "on" must be a boolean (as in its defaultOptions), not null'],
    [{ 'local.other': {} }, 'rule options name local.other, which no --rule module defines (loaded: local.r)'],
    [{ 'face.size': { minWidth: 1 } }, 'rule options for face.size: built-in rules take their limits from the profile (--profile), not from rule options'],
  ];
  for (const [given, message] of mistakes) assert.throws(() => extraRuleOptions([rule], given, builtinRules), { message });
  const active = resolveRules(defaultProfile, builtinRules, [rule], [], { 'local.r': { max: 5 } });
  assert.deepEqual(active.at(-1)!.options, { pattern: 'x', max: 5, on: true });
});

test('--rule-time-limit sets how long a --rule check may take: a 300 ms rule is stopped at 0.2 s and passes under the default 5 s; a limit that is not seconds is a usage error', async () => {
  const dir = await tempDir();
  const rulePath = await writeTemp(dir, 'slow.mjs', Buffer.from(`export default {
  id: 'local.slow',
  meta: { description: { en: 'slow', zh: '慢' }, messageIds: ['ok'], messages: { en: { ok: 'done' }, zh: { ok: '完成' } }, defaultOptions: {}, needs: 'bytes' },
  check: () => new Promise((resolve) => setTimeout(() => resolve({ status: 'pass', messageId: 'ok' }), 300)),
};`));
  // A photo cut short: only byte-level rules run, so the slow rule's time is the run's.
  const photo = await writeTemp(dir, 'cut.jpg', (await readFile(EXAMPLE)).subarray(0, 2000));
  const slow = async (...extra: string[]) => {
    const run = await runCliInProcess(['check', photo, '--rule', rulePath, '--format', 'json', '--lang', 'en', ...extra]);
    return (JSON.parse(run.stdout) as { files: { checks: { rule: string; status: string; message: string }[] }[] }).files[0].checks.find((c) => c.rule === 'local.slow')!;
  };
  const stopped = await slow('--rule-time-limit', '0.2');
  assert.equal(stopped.status, 'skip');
  assert.match(stopped.message, /could not run \(it did not finish within 0\.2 s\)/);
  const inTime = await slow();
  assert.deepEqual([inTime.status, inTime.message], ['pass', 'done']);
  for (const bad of ['0', '-1', 'soon', '601']) {
    const run = await runCliInProcess(['check', photo, '--rule', rulePath, '--rule-time-limit', bad]);
    assert.equal(run.code, 2, bad);
    assert.equal(run.stderr, `gradphoto: --rule-time-limit 需要秒数，大于 0 且不超过 600，而不是 "${bad}"\n`);
  }
});
