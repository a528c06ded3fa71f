import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { workerCount } from '../src/batch/pool.js';
import { csvCell } from '../src/report/csv.js';
import { formatText } from '../src/report/text.js';
import { EXAMPLE, runCliInProcess, tempDir, writeTemp } from './helpers.js';

const EVIL_HTML = '<img src=x onerror=alert(1)>.jpg';
// A slash cannot be in a file name here, so the classic payload's "/C" becomes "-C".
const EVIL_CSV = "=cmd|' -C calc'!A0.jpg";

/** A class folder: the example under a student number, hostile names, a truncated and an empty file. */
async function classFolder(): Promise<string> {
  const dir = await tempDir();
  await copyFile(EXAMPLE, join(dir, '2026001 张三.jpg'));
  await copyFile(EXAMPLE, join(dir, EVIL_HTML));
  await copyFile(EXAMPLE, join(dir, EVIL_CSV));
  const bytes = await readFile(EXAMPLE);
  await writeTemp(dir, 'half.jpg', bytes.subarray(0, 9000));
  await writeTemp(dir, 'empty.jpg', Buffer.alloc(0));
  return dir;
}

test('--format csv: BOM and CRLF for Excel, Chinese intact, formulas defused, names quoted', async () => {
  const dir = await classFolder();
  const run = await runCliInProcess(['check', dir, '--format', 'csv', '--lang', 'zh']);
  assert.equal(run.code, 1);
  assert.ok(run.stdout.startsWith('\ufeff"文件","结果"'), run.stdout.slice(0, 40));
  assert.ok(run.stdout.includes('\r\n'));
  assert.ok(run.stdout.includes(`"${join(dir, EVIL_CSV).replace(/"/g, '""')}"`));
  // No cell may begin with a formula character once Excel reads it.
  for (const line of run.stdout.split('\r\n')) assert.doesNotMatch(line, /(^|,)"[=+@]/);
  assert.match(run.stdout, /2026001 张三\.jpg","不通过"/);
  assert.equal(run.stdout.replace(/^\ufeff/, '').split('\r\n').filter((l) => l.startsWith('"')).length, 1 + 5);
  // A path given relative to the folder starts the cell: it is defused with a leading quote.
  assert.equal(csvCell(EVIL_CSV), `"'=cmd|' -C calc'!A0.jpg"`);
  assert.equal(csvCell('-1'), `"'-1"`);
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
});

test('--format junit: one test case per photo and rule, failures and errors counted, names escaped', async () => {
  const dir = await classFolder();
  const run = await runCliInProcess(['check', dir, '--format', 'junit', '--lang', 'en']);
  const xml = run.stdout;
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  const cases = xml.match(/<testcase /g)?.length ?? 0;
  assert.ok(cases > 3 * 20, `${cases} test cases`);
  assert.equal(xml.match(/<error /g)?.length, 2); // the truncated and the empty file
  assert.match(xml, /errors="2"/);
  assert.ok(!xml.includes('<img src=x'), 'raw markup from a file name');
  assert.ok(xml.includes('&lt;img src=x onerror=alert(1)&gt;.jpg'));
});

test('-j 2 (two worker threads) reports exactly what -j 1 (the main thread) does, in the same order', async () => {
  // 140 files: enough for the pool to use workers on 2 threads (small folders stay on the main thread).
  assert.equal(workerCount(140, 2), 2);
  assert.equal(workerCount(140, 1), 0);
  const dir = await classFolder();
  const bytes = await readFile(EXAMPLE);
  for (let i = 0; i < 135; i++) {
    // Mostly truncated copies (cheap to check), with a whole photo every ninth file.
    await writeTemp(dir, `${String(i).padStart(3, '0')}.jpg`, i % 9 === 0 ? bytes : bytes.subarray(0, 2000 + (i % 45) * 100));
  }
  const one = JSON.parse((await runCliInProcess(['check', dir, '--format', 'json', '-j', '1'])).stdout);
  const two = JSON.parse((await runCliInProcess(['check', dir, '--format', 'json', '-j', '2'])).stdout);
  assert.deepEqual(two, one);
  assert.equal(one.files.length, 140);
});

const CHROMIUM = '/usr/bin/chromium';

test('--format html: a self-contained page; in Chromium it shows every photo, filters work, no console errors', { skip: !existsSync(CHROMIUM) && 'Debian chromium is not installed (apt-get install chromium)' }, async () => {
  const dir = await classFolder();
  const out = join(await tempDir(), 'report.html');
  const run = await runCliInProcess(['check', dir, '--format', 'html', '--out', out, '--lang', 'en']);
  assert.equal(run.code, 1, run.stderr);
  const html = await readFile(out, 'utf8');
  assert.ok(!html.includes('<img src=x onerror'), 'a file name became markup');
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'the page must not load anything from the network');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(error.message));
    let alerted = false;
    page.on('dialog', async (dialog) => { alerted = true; await dialog.dismiss(); });
    await page.goto(`file://${out}`);
    const visible = async () => page.locator('.card:visible').count();
    assert.equal(await visible(), 5);
    assert.equal(await page.locator('.card img.thumb').count(), 3); // the three decodable photos have thumbnails
    await page.click('button[data-filter=errors]');
    assert.equal(await visible(), 2);
    await page.click('button[data-filter=failing]');
    assert.equal(await visible(), 5); // every photo fails or errors here
    await page.click('button[data-filter=all]');
    assert.equal(await visible(), 5);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok((await stat(shot)).size > 20_000);
    assert.deepEqual(problems, []);
    assert.equal(alerted, false);
  } finally {
    await browser.close();
  }
});

test('text summary: per rule, the number of photos it fails or warns on, not of messages, and it says so', () => {
  const check = (rule: string, status: 'fail' | 'warn', messageId: string) => ({ rule, status, messageId, message: messageId, measured: null, expected: null });
  // Two photos, each with two background.uniform findings (a gradient and a shadow) and one warning.
  const file = (path: string) => ({ path, verdict: 'fail' as const, checks: [
    check('background.uniform', 'fail', 'gradient'), check('background.uniform', 'fail', 'shadow'), check('face.makeup', 'warn', 'lipstick'),
  ] });
  const result = { profile: 'chsi-graduate', files: [file('a.jpg'), file('b.jpg')], summary: { total: 2, pass: 0, fail: 2, error: 0 } };
  const en = formatText(result, { lang: 'en', color: false });
  assert.match(en, /^Photos failing each rule: background\.uniform ×2$/m);
  assert.match(en, /^Photos with a warning, per rule: face\.makeup ×2$/m);
  const zh = formatText(result, { lang: 'zh', color: false });
  assert.match(zh, /^各规则不通过的照片数： background\.uniform ×2$/m);
});

test('text report on a terminal: each message wraps under its own first line within the width, commands without backticks; in a pipe, one line each', () => {
  const message = { en: 'The background colour changes across the frame (14.6; even is up to 12, over 25 fails): a gradient or vignette. Use an evenly lit plain backdrop; `gradphoto fix` can replace it.',
    zh: '背景为灰色，RGB(205,196,192)，不是允许的颜色（浅蓝色 RGB(100,197,255)；与浅蓝色的 ΔE2000 为 25.9）。`gradphoto fix` 可替换纯色背景。' };
  const columns = (line: string) => [...line].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uff60]/.test(c) ? 2 : 1), 0);
  for (const lang of ['en', 'zh'] as const) {
    const file = { path: 'a.jpg', verdict: 'fail' as const, checks: [{ rule: 'background.uniform', status: 'fail' as const, messageId: 'gradient', message: message[lang], measured: null, expected: null }] };
    const result = { profile: 'ouc-graduate', files: [file], summary: { total: 1, pass: 0, fail: 1, error: 0 } };
    const lines = formatText(result, { lang, color: false, columns: 60 }).split('\n');
    const at = lines.findIndex((line) => line.includes('✖ background.uniform'));
    const block = lines.slice(at, lines.indexOf('', at));
    assert.ok(block.length >= 3, block.join('\n'));
    assert.deepEqual(block.filter((line) => columns(line) > 60), [], lang);
    const column = block[0].indexOf(lang === 'en' ? 'The background' : '背景');
    for (const line of block.slice(1)) assert.match(line, new RegExp(`^ {${column}}\\S`), `continuation under the message: ${line}`);
    // Nothing lost or added but the backticks (and, in Chinese, the spaces a line broke at).
    const joined = block.map((line) => line.trim()).join(' ').replace(/^✖ background\.uniform\s+/, '');
    const squeeze = (text: string) => (lang === 'en' ? text : text.replace(/\s+/g, ''));
    assert.equal(squeeze(joined), squeeze(message[lang].replace(/`/g, '')));
    // At any width, a command in backticks stays on one line and loses its backticks (none left half-open).
    for (let width = 40; width <= 90; width++) {
      const text = formatText(result, { lang, color: false, columns: width });
      assert.doesNotMatch(text, /`/, `at ${width} columns`);
      assert.match(text, /gradphoto fix/, `at ${width} columns`);
    }
    // A pipe or a file: the message whole on one line, backticks and all (grep and diff read it).
    assert.ok(formatText(result, { lang, color: false }).split('\n').some((line) => line.endsWith(message[lang])));
  }
});

test('--format junit with --roster: a student with no photo and a photo matching nobody are failures, as the exit code says', async () => {
  const dir = await tempDir();
  await copyFile(EXAMPLE, join(dir, '2026001.jpg'));
  await copyFile(EXAMPLE, join(dir, 'nobody.jpg'));
  const roster = await writeTemp(dir, 'roster.csv', Buffer.from('学号,姓名\n2026001,张三\n2026002,李四\n'));
  const run = await runCliInProcess(['check', join(dir, '2026001.jpg'), join(dir, 'nobody.jpg'), '--roster', roster, '--format', 'junit', '--lang', 'en', '--disable', 'face.ears-visible,face.forehead-visible,background.color,image.sharpness']);
  assert.equal(run.code, 1, run.stderr);
  const xml = run.stdout;
  assert.match(xml, /<testsuites name="gradphoto" tests="\d+" failures="2" errors="0"/);
  assert.match(xml, /<testsuite name="gradphoto roster" tests="2" failures="2" errors="0" skipped="0">/);
  assert.match(xml, /<testcase classname="roster" name="2026002 李四"><failure message="No photo found for this student: ask for one, or check how the file is named. \(line 3\)" type="roster"\/><\/testcase>/);
  assert.match(xml, /<testcase classname="roster" name="[^"]*nobody\.jpg"><failure message="This photo matches nobody on the roster/);
});

test('CSV and HTML for teachers, in Chinese: rule names not ids, no backticks; 学号 and 身份证号 kept as text; cards by folder path, 姓名 and 学号', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, '甲班'));
  await copyFile(EXAMPLE, join(dir, '甲班', '0026001.jpg'));
  const roster = await writeTemp(dir, 'roster.csv', Buffer.from('学号,姓名,身份证号\n0026001,张三,11010519491231002X\n0026002,李四,110105194912310021\n'));
  const csv = (await runCliInProcess(['check', dir, '--roster', roster, '--format', 'csv', '--lang', 'zh'])).stdout;
  // Excel keeps ="0026001" as the text 0026001, leading zeros and all 18 digits intact.
  assert.ok(csv.includes('\r\n"=""0026001""","=""11010519491231002X""","张三",'), csv.slice(0, 300));
  assert.ok(csv.includes('\r\n"=""0026002""","=""110105194912310021""","李四","","缺少照片"'));
  assert.ok(!csv.includes('`'), 'backticks');
  assert.doesNotMatch(csv, /background\.color|face\.forehead-visible|image\.sharpness/);
  assert.match(csv, /"背景颜色、[^"]*清晰度"|"[^"]*背景颜色[^"]*"/);
  assert.match(csv, /背景颜色：背景为/);

  const page = join(dir, 'report.html');
  await runCliInProcess(['check', dir, '--roster', roster, '--format', 'html', '-o', page, '--lang', 'zh']);
  const html = await readFile(page, 'utf8');
  assert.match(html, /<h1>gradphoto 照片检查报告 · 国家开放大学毕业生图像采集（学信网毕业证书电子注册照片）<\/h1>/);
  assert.match(html, /<div class="student">张三 0026001<\/div><div class="path" title="[^"]*0026001\.jpg">甲班\/0026001\.jpg<\/div>/);
  assert.match(html, /<span class="rule" title="background\.color">背景颜色<\/span>：/);
  assert.doesNotMatch(html, /<code>background\.color|`/);
  assert.match(html, /<code>gradphoto fix<\/code>/);
});
