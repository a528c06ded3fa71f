import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { progressLine } from '../src/cli/index.js';
import { BIN, EXAMPLE, ROOT, examplePixels, fromRaw, runCli, runCliInProcess, tempDir, writeTemp } from './helpers.js';

interface JsonReport {
  profile: string;
  files: { path: string; verdict: string; checks: { rule: string; status: string; messageId: string; message: string; data?: Record<string, string | number>; measured: unknown; expected: unknown }[] }[];
  summary: { total: number; pass: number; fail: number; error: number };
}

// The example fails only what its subject does (fringe, hair over the ears, grey backdrop, an enlarged scan).
const EXAMPLE_FAILS = 'face.ears-visible,face.forehead-visible,background.color,image.sharpness';
/** The example's hair over the ears warns (a bob with backdrop around it); the other three fail. */
const EXAMPLE_FAILING = EXAMPLE_FAILS.split(',').filter((rule) => rule !== 'face.ears-visible');

// The one run of the real binary end to end (its exit code through process.exitCode, LANG from its environment);
// the other tests call main() in-process (tests/helpers.ts runCliInProcess).
test('check the example: text report in Chinese by default; exit 1 on its failures, 0 with them disabled', async () => {
  const failing = await runCli(['check', EXAMPLE], { LANG: 'zh_CN.UTF-8' });
  assert.equal(failing.code, 1, failing.stderr);
  assert.match(failing.stdout, /✖ 不通过/);
  assert.match(failing.stdout, /background\.color .*不是允许的颜色（浅蓝色 RGB\(100,197,255\)；/);
  const run = await runCli(['check', EXAMPLE, '--disable', EXAMPLE_FAILS], { LANG: 'zh_CN.UTF-8' });
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /通过/);
  assert.match(run.stdout, /file\.size .*KB（\d{5} 字节），在 30720–40000 字节范围内/);
  assert.doesNotMatch(run.stdout, /\u001b\[/); // NO_COLOR set by the helper
});

test('--lang en and LANG=en_US pick English; rule ids and JSON keys do not change', async () => {
  const explicit = await runCliInProcess(['check', EXAMPLE, '--lang', 'en', '--format', 'json'], { env: { LANG: 'zh_CN.UTF-8' } });
  const fromEnv = await runCliInProcess(['check', EXAMPLE, '--format', 'json'], { env: { LANG: 'en_US.UTF-8' } });
  const chinese = await runCliInProcess(['check', EXAMPLE, '--format', 'json', '--lang', 'zh']);
  const en = JSON.parse(explicit.stdout) as JsonReport;
  const zh = JSON.parse(chinese.stdout) as JsonReport;
  assert.deepEqual(JSON.parse(fromEnv.stdout), en);
  const bytes = en.files[0].checks.find((c) => c.rule === 'file.size')!.measured;
  assert.match(en.files[0].checks.find((c) => c.rule === 'file.size')!.message, new RegExp(`\\(${bytes} bytes\\)`));
  assert.match(zh.files[0].checks.find((c) => c.rule === 'file.size')!.message, new RegExp(`（${bytes} 字节）`));
  const strip = (r: JsonReport) => r.files.map((f) => f.checks.map(({ message, ...rest }) => rest));
  assert.deepEqual(strip(en), strip(zh));
});

test('--format json follows the SPEC contract', async () => {
  const run = await runCliInProcess(['check', EXAMPLE, '--format', 'json']);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(Object.keys(report), ['schemaVersion', 'toolVersion', 'profile', 'files', 'summary']);
  assert.equal(report.profile, 'ouc-graduate');
  assert.deepEqual(report.summary, { total: 1, pass: 0, fail: 1, error: 0 });
  assert.equal(report.files[0].verdict, 'fail');
  for (const check of report.files[0].checks) {
    // data (what the message is filled from) is there when the rule reported any.
    assert.deepEqual(Object.keys(check).filter((key) => key !== 'data'), ['rule', 'status', 'messageId', 'message', 'measured', 'expected']);
    assert.equal(Object.keys(check)[4], check.data === undefined ? 'measured' : 'data');
  }
  assert.deepEqual([...new Set(report.files[0].checks.map((c) => c.rule))], [
    'file.decode', 'file.format', 'file.trailing-data', 'file.size', 'image.dimensions', 'image.color', 'image.orientation', 'image.dpi', 'image.jpeg-quality',
    'face.count', 'face.size', 'face.position', 'face.pose', 'face.eyes-open',
    'face.glasses', 'face.ears-visible', 'face.forehead-visible', 'background.color', 'background.uniform', 'clothing.contrast', 'clothing.collar',
    'image.sharpness', 'image.exposure', 'face.makeup', 'image.retouch',
  ]);
  const failing = report.files[0].checks.filter((c) => c.status === 'fail').map((c) => c.rule);
  assert.deepEqual([...new Set(failing)].sort(), EXAMPLE_FAILING.sort());
});

test('FORCE_COLOR colours the text report; NO_COLOR wins', async () => {
  const coloured = await runCliInProcess(['check', EXAMPLE, '--lang', 'en', '-v'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  assert.match(coloured.stdout, /\u001b\[32m/);
  const plain = await runCliInProcess(['check', EXAMPLE, '--lang', 'en'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
  assert.doesNotMatch(plain.stdout, /\u001b\[/);
});

test('a folder with good, failing and broken files: every file reported in order, exit 1', async () => {
  const dir = await tempDir();
  const pixels = fromRaw(await examplePixels());
  await writeFile(join(dir, '10-good.jpg'), await readFile(EXAMPLE));
  await writeTemp(dir, '2-png-named.JPG', await pixels.clone().png().toBuffer());
  await writeTemp(dir, '3-empty.jpg', Buffer.alloc(0));
  await mkdir(join(dir, '4-folder.jpg'));
  await writeTemp(join(dir), 'notes.txt', Buffer.from('not a photo'));
  await writeTemp(dir, 'scan.png', await pixels.clone().resize(60, 80).png().toBuffer());
  await mkdir(join(dir, 'sub'));
  await writeTemp(join(dir, 'sub'), '1-small.jpeg', await pixels.clone().resize(240, 320).jpeg().toBuffer());
  await symlink(dir, join(dir, 'sub', 'loop')); // a link back up must not hang the walk

  const run = await runCliInProcess(['check', dir, join(dir, 'missing.jpg'), join(dir, '4-folder.jpg'), '--format', 'json', '--lang', 'en', '--disable', EXAMPLE_FAILS]);
  assert.equal(run.code, 2, run.stderr); // a path that does not exist: 2, though every file is still reported
  const report = JSON.parse(run.stdout) as JsonReport;
  const names = report.files.map((f) => f.path.slice(dir.length + 1));
  assert.deepEqual(names, ['2-png-named.JPG', '3-empty.jpg', '10-good.jpg', 'scan.png', 'sub/1-small.jpeg', 'missing.jpg', '4-folder.jpg']);
  assert.deepEqual(report.files.map((f) => f.verdict), ['fail', 'error', 'pass', 'fail', 'fail', 'error', 'error']);
  assert.deepEqual(report.summary, { total: 7, pass: 1, fail: 3, error: 3 });
  const missing = report.files[5].checks[0];
  assert.equal(missing.messageId, 'notFound');
  assert.match(missing.message, /No such file or folder/);
  assert.equal(report.files[6].checks[0].messageId, 'isDirectory');
  assert.doesNotMatch(run.stdout + run.stderr, /at .*\.js:\d+/); // no stack traces
});

test('usage mistakes print help and exit 2', async () => {
  for (const args of [['check'], ['check', EXAMPLE, '--format', 'xml'], ['frobnicate'], ['check', EXAMPLE, '--profile', 'nope'], [], ['check', EXAMPLE, '--disable', 'no.such-rule']]) {
    const run = await runCliInProcess(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout + run.stderr, /Usage|用法|gradphoto:/);
  }
  assert.equal((await runCliInProcess(['--help'])).code, 0);
});

test('an empty folder is an error, not silence', async () => {
  const dir = await tempDir();
  const run = await runCliInProcess(['check', dir, '--format', 'json', '--lang', 'en']);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.equal(report.files[0].checks[0].messageId, 'emptyFolder');
});

test('a reader that leaves early (| head) ends the run quietly, with no EPIPE crash', async () => {
  const child = spawn(process.execPath, [BIN, 'check', EXAMPLE, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // as `head -0` does: the pipe is closed before anything is written
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.doesNotMatch(stderr, /EPIPE|internal error|Error:/, stderr);
  assert.equal(code, 1, 'the example fails, so the exit code still says so');
});

test('GRADPHOTO_ENGINE set to something unknown is a usage mistake, said once, exit 2', async () => {
  const target = join(await tempDir(), 'never-written.jpg');
  for (const command of [['check', EXAMPLE], ['fix', EXAMPLE, '-o', target]]) {
    const run = await runCliInProcess(command, { env: { GRADPHOTO_ENGINE: 'gpu' } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^gradphoto: GRADPHOTO_ENGINE is "gpu": use "onnxruntime" or "wasm"\n$/);
    assert.equal(run.stdout, '');
  }
  assert.equal(existsSync(target), false, 'fix wrote nothing');
});

/** The long options of a README table that follows `heading` (first cells like `-o, --out <file>`). */
async function readmeOptions(heading: string): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const table = readme.slice(start).split('\n\n')[1];
  return table.split('\n').slice(2).map((row) => row.match(/^\| `[^`]*?(--[a-z-]+)/)?.[1] ?? row);
}

test('README documents check\'s and fix\'s options in their own tables, exactly the options --help lists', async () => {
  for (const [command, heading] of [['check', "`check`'s options:"], ['fix', '`fix` takes its own options']]) {
    const help = (await runCliInProcess([command, '--help', '--lang', 'en'])).stdout;
    const inHelp = [...new Set([...help.matchAll(/(?:^|[ ,])(--[a-z][a-z-]+)/gm)].map((m) => m[1]))].filter((o) => o !== '--help').sort();
    assert.deepEqual((await readmeOptions(heading)).sort(), inHelp, command);
  }
});

test('a report that cannot be written: one sentence naming the file and what to do, never the temporary file', async () => {
  const dir = await tempDir();
  const target = join(dir, 'no-such-folder', 'report.json');
  const run = await runCliInProcess(['check', EXAMPLE, '--format', 'json', '-o', target, '--lang', 'en']);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, `gradphoto: cannot write ${target}: the folder ${join(dir, 'no-such-folder')} does not exist; create it or choose another path\n`);
});

test('Chinese when the language is Chinese: --help, usage errors, the progress bar, the counts; English says "1 file"', async () => {
  const help = await runCliInProcess(['check', '--help'], { env: { LANG: 'zh_CN.UTF-8' } });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^用法： gradphoto check \[选项\] <照片或文件夹\.\.\.>$/m);
  assert.match(help.stdout, /^选项：$/m);
  assert.match(help.stdout, /-f, --format <format> +报告格式（可选："text", "json", "csv", "junit",/);
  assert.doesNotMatch(help.stdout, /Usage:|Options:|Arguments:|display help|report format|choices:|default:|write the report/);
  assert.match((await runCliInProcess(['fix', '--help', '--lang', 'zh'], { env: { LANG: 'en_US.UTF-8' } })).stdout, /^ {2}--out-dir <dir> +把修正后的照片写入此文件夹/m);
  const english = (await runCliInProcess(['check', '--help', '--lang', 'en'], { env: { LANG: 'zh_CN.UTF-8' } })).stdout;
  assert.match(english, /^Usage: gradphoto check \[options\] <paths\.\.\.>$/m);
  // --rule and --disable start empty: "(default: [])" said nothing (nor "默认：[]" in Chinese).
  assert.doesNotMatch(english + help.stdout, /default: \[\]|默认：\[\]/);
  assert.match(english, /-d, --disable <ids> +turn rules off/);
  // The root help: no English left, and descriptions start in one column as a terminal draws them
  // (a Chinese character is two columns wide).
  const root = (await runCliInProcess(['--help'], { env: { LANG: 'zh_CN.UTF-8' } })).stdout;
  assert.match(root, /^用法： gradphoto \[选项\] \[命令\]$/m);
  assert.doesNotMatch(root, /\[options\]|\[command\]|<paths/);
  const columns = (line: string) => [...line].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uff60]/.test(c) ? 2 : 1), 0);
  const starts = root.split('\n').filter((line) => /^ {2}(check|rules|fix|help) /.test(line)).map((line) => columns(/^ {2}\S.*?\s{2,}/.exec(line)![0]));
  assert.equal(starts.length, 4, root);
  assert.equal(new Set(starts).size, 1, `descriptions start at columns ${starts}`);
  // Chinese descriptions wrap between characters within the 80 columns of a pipe (they ran to 136), and a line
  // never starts with closing punctuation.
  for (const command of [[], ['check'], ['fix'], ['rules'], ['serve']]) {
    const text = (await runCliInProcess([...command, '--help'], { env: { LANG: 'zh_CN.UTF-8' } })).stdout;
    const lines = text.split('\n');
    assert.deepEqual(lines.filter((line) => columns(line) > 80), [], `${command.join(' ') || 'root'} --help`);
    assert.deepEqual(lines.filter((line) => /^\s+[，。、；：）]/.test(line)), []);
  }
  assert.match(help.stdout, /^ {2}-p, --profile <id\|file\.json> +检查所依据的标准：内置标准名（gradphoto$/m);
  // An unknown option: one line and a hint, not the whole help.
  const en = await runCliInProcess(['check', EXAMPLE, '--frobnicate', '--lang', 'en']);
  assert.deepEqual([en.code, en.stdout, en.stderr], [2, '', "gradphoto: unknown option '--frobnicate'\n(gradphoto check --help shows the options)\n"]);
  const zh = await runCliInProcess(['fix', EXAMPLE, '--outt', 'x.jpg'], { env: { LANG: 'zh_CN.UTF-8' } });
  assert.deepEqual([zh.code, zh.stderr], [2, "gradphoto: 未知选项 '--outt'\n（是不是 --out？）\n（运行 gradphoto fix --help 查看选项）\n"]);
  assert.equal(progressLine('zh', 3, 10, 1, 0), '[#########---------------------] 3/10  不通过 1  错误 0');
  assert.equal(progressLine('en', 10, 10, 2, 1), '[##############################] 10/10  fail 2  error 1');
  const one = await runCliInProcess(['check', EXAMPLE, '--lang', 'en']);
  assert.match(one.stdout, /^gradphoto · profile ouc-graduate \(Open University of China graduate photo \(CHSI diploma registration photo\)\) · 1 file$/m);
  assert.match(one.stdout, /^Summary: 1 file: 0 pass, 1 fail, 0 error$/m);
  assert.doesNotMatch(one.stdout, /file\(s\)/);
});

test('exit codes for CI: 2 for a path that does not exist, 1 for failing photos; --max-warnings and --strict count photos with warnings', async () => {
  const dir = await tempDir();
  const missing = await runCliInProcess(['check', join(dir, 'nope.jpg'), '--format', 'json', '--lang', 'en']);
  assert.equal(missing.code, 2);
  assert.equal(JSON.parse(missing.stdout).files[0].checks[0].messageId, 'notFound'); // still reported
  assert.equal((await runCliInProcess(['fix', join(dir, 'nope.jpg'), '-o', join(dir, 'out.jpg'), '--format', 'json'])).code, 2);
  assert.equal((await runCliInProcess(['check', EXAMPLE])).code, 1);
  // With its failures disabled, the example passes with one warning (hair over the ears).
  const base = ['check', EXAMPLE, '--lang', 'en', '--disable', EXAMPLE_FAILING.join(',')];
  assert.equal((await runCliInProcess(base)).code, 0);
  const strict = await runCliInProcess([...base, '--strict']);
  assert.equal(strict.code, 1);
  assert.equal(strict.stderr, 'gradphoto: 1 photo has warnings, more than --strict allows\n');
  // Usage mistakes the CLI names itself are in the reader's language too (commander's own were already).
  const zh = { env: { LANG: 'zh_CN.UTF-8' } };
  assert.equal((await runCliInProcess([...base.filter((a) => a !== '--lang' && a !== 'en'), '--strict'], zh)).stderr, 'gradphoto: 1 张照片有警告，超过了 --strict 允许的数量\n');
  for (const [args, said] of [
    [['check', EXAMPLE, '--format', 'html'], 'gradphoto: --format html 需要 --out report.html（HTML 报告写入文件，不输出到终端）\n'],
    [['check', EXAMPLE, '--profile', 'nope'], /^gradphoto: 没有名为 "nope" 的标准（内置：ouc-graduate, /],
    [['rules', '--profile', 'nope'], /^gradphoto: 没有名为 "nope" 的标准/],
    [['check', EXAMPLE, '-j', '0'], 'gradphoto: --concurrency 需要不小于 1 的整数，而不是 "0"\n'],
    [['serve', '--port', '99999'], 'gradphoto: --port 99999 不是端口号（0–65535）\n'],
    [['serve', '--port', '99999', '--lang', 'en'], 'gradphoto: --port 99999 is not a port number (0–65535)\n'],
    [['check', EXAMPLE, '--profile', 'nope', '--lang', 'en'], /^gradphoto: unknown profile "nope" \(built in: ouc-graduate, /],
  ] as [string[], string | RegExp][]) {
    const mistake = await runCliInProcess(args, zh);
    assert.equal(mistake.code, 2, args.join(' '));
    if (typeof said === 'string') assert.equal(mistake.stderr, said, args.join(' '));
    else assert.match(mistake.stderr, said, args.join(' '));
  }
  assert.equal((await runCliInProcess([...base, '--max-warnings', '1'])).code, 0);
  const zero = await runCliInProcess([...base, '--max-warnings', '0']);
  assert.deepEqual([zero.code, zero.stderr], [1, 'gradphoto: 1 photo has warnings, more than --max-warnings 0 allows\n']);
  const bad = await runCliInProcess([...base, '--max-warnings', '-1']);
  assert.deepEqual([bad.code, bad.stderr], [2, 'gradphoto: --max-warnings takes a whole number of at least 0, not "-1"\n']);
});

test('README: the JSON example is what check prints for the example; no developer paths; the summary wording', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const example = JSON.parse(readme.match(/## JSON output\n[\s\S]*?```json\n([\s\S]*?)\n```/)![1]) as JsonReport;
  const actual = JSON.parse((await runCliInProcess(['check', EXAMPLE, '--format', 'json', '--lang', 'en'])).stdout) as JsonReport;
  assert.equal(example.files[0].path, 'fixtures/example.jpg');
  assert.equal(example.files[0].verdict, actual.files[0].verdict);
  assert.deepEqual(example.summary, actual.summary);
  for (const shown of example.files[0].checks) {
    assert.deepEqual(actual.files[0].checks.find((c) => c.rule === shown.rule && c.messageId === shown.messageId), shown);
  }
  assert.doesNotMatch(readme, /\.\.\/shared/, 'a path only the developers have');
  assert.doesNotMatch(readme, /per failing rule/);
});

test('main() called again and again in one process: nothing of one run is left for the next (listeners, --rule modules, standard input)', async () => {
  const dir = await tempDir();
  const rule = (word: string) => Buffer.from(`export default { id: 'local.word', meta: { description: { en: 'w', zh: 'w' }, messageIds: ['ok'], messages: { en: { ok: '${word}' }, zh: { ok: '${word}' } }, defaultOptions: {}, needs: 'bytes' },
  check() { return { status: 'pass', messageId: 'ok' }; } };`);
  const rulePath = await writeTemp(dir, 'word.mjs', rule('first'));
  const message = async () => {
    const run = await runCliInProcess(['check', EXAMPLE, '--rule', rulePath, '--format', 'json', '--lang', 'en']);
    return JSON.parse(run.stdout).files[0].checks.find((c: { rule: string }) => c.rule === 'local.word').message as string;
  };
  const photo = await readFile(EXAMPLE);
  const runs = async () => {
    const piped = await runCliInProcess(['check', '-', '--format', 'json'], { stdin: photo });
    assert.deepEqual([piped.code, JSON.parse(piped.stdout).files[0].verdict], [1, 'fail']); // the example itself, read
    assert.equal((await runCliInProcess(['fix', '-', '-o', join(dir, 'stdin.jpg'), '--force', '--format', 'json'], { stdin: photo })).code, 1);
    assert.equal((await runCliInProcess(['check', '--frobnicate'])).code, 2);
  };
  await runs();
  const listeners = () => ['SIGINT', 'SIGTERM', 'exit'].map((event) => process.listenerCount(event)).concat(process.stdout.listenerCount('error'));
  const before = listeners();
  assert.equal(process.listenerCount('SIGINT'), 0, 'a run left its Ctrl-C listener');
  await runs();
  await runs();
  assert.deepEqual(listeners(), before);
  // The photo on standard input is each run's own (it was read once per process), and a --rule module
  // changed between runs is imported again, as a new process would.
  const other = (await runCliInProcess(['check', '-', '--format', 'json'], { stdin: (await readFile(EXAMPLE)).subarray(0, 5000) })).stdout;
  assert.deepEqual(JSON.parse(other).files[0].error?.messageId, 'truncated');
  assert.equal(await message(), 'first');
  await writeFile(rulePath, rule('second'));
  assert.equal(await message(), 'second');
});

test('-j above the core count is capped, and the run says so once; -j at the core count says nothing', async () => {
  const cores = availableParallelism();
  const over = await runCliInProcess(['check', EXAMPLE, '-j', String(cores + 62), '--format', 'json', '--lang', 'en']);
  assert.equal(over.code, 1);
  assert.equal(JSON.parse(over.stdout).files.length, 1);
  assert.equal(over.stderr, `gradphoto: -j ${cores + 62} is more than the ${cores} cores here: ${cores} photos are checked at once (more threads would only take turns, each holding its own copy of the models).\n`);
  const zh = await runCliInProcess(['check', EXAMPLE, '-j', String(cores + 1), '--format', 'json', '--lang', 'zh']);
  assert.match(zh.stderr, new RegExp(`^gradphoto: -j ${cores + 1} 超过本机的 ${cores} 个 CPU 核`));
  const at = await runCliInProcess(['check', EXAMPLE, '-j', String(cores), '--format', 'json', '--lang', 'en']);
  assert.equal(at.stderr, '');
});
