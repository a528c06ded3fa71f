import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { ReportFile } from '../src/contract/types.js';
import { csvStream, formatCsv } from '../src/report/csv.js';
import { formatHtml, htmlStream } from '../src/report/html.js';
import { formatJson, jsonStream } from '../src/report/json.js';
import { formatJunit, junitStream } from '../src/report/junit.js';
import { openReport } from '../src/report/output.js';
import type { StreamFormat } from '../src/report/stream.js';
import { formatText, textStream } from '../src/report/text.js';
import { tempDir } from './helpers.js';

/** A worded result as the reporters get it: a verdict cycling through pass, fail and error, a few checks. */
function synthetic(i: number): ReportFile {
  const verdict = (['pass', 'fail', 'error'] as const)[i % 3];
  // Keys in the JSON contract's order: path, verdict, error (when there is one), checks.
  const file: ReportFile = {
    path: `class/${String(i).padStart(6, '0')} 张三 <&"'>.jpg`,
    verdict,
    ...(verdict === 'error' ? { error: { messageId: 'truncated', message: 'Cut short: copy it again.' } } : {}),
    checks: [
      { rule: 'file.size', status: 'pass', messageId: 'ok', message: `${30720 + i} bytes.`, data: { bytes: 30720 + i }, measured: 30720 + i, expected: { min: 30720, max: 40000 } },
      { rule: 'face.size', status: verdict === 'fail' ? 'fail' : i % 5 === 0 ? 'warn' : 'pass', messageId: verdict === 'fail' ? 'tooSmall' : 'ok', message: 'Face `180` px.', measured: 180 - (i % 7), expected: undefined },
    ],
  };
  return file;
}

const summaryOf = (files: ReportFile[]) => ({
  total: files.length,
  pass: files.filter((f) => f.verdict === 'pass').length,
  fail: files.filter((f) => f.verdict === 'fail').length,
  error: files.filter((f) => f.verdict === 'error').length,
});

/** Drive a stream format through openReport into a file, one result at a time, as the CLI does. */
async function streamToFile(format: StreamFormat, files: Iterable<ReportFile>, summary: ReturnType<typeof summaryOf>, path: string): Promise<void> {
  const output = await openReport(format, path, { inputs: [] });
  if (!format.headAtEnd) await output.write(format.head());
  for (const file of files) await output.write(format.file(file));
  await output.write(format.tail(summary));
  await output.finish(format.headAtEnd ? format.head(summary) : undefined);
}

test('a 100,000-photo JSON report streams to a file that parses, files in order, summary at the end, no temporary file left', async () => {
  const dir = await tempDir();
  const path = join(dir, 'report.json');
  const N = 100_000;
  const counts = { total: N, pass: 0, fail: 0, error: 0 };
  for (let i = 0; i < N; i++) counts[synthetic(i).verdict]++;
  function* files() { for (let i = 0; i < N; i++) yield synthetic(i); }
  await streamToFile(jsonStream('chsi-graduate'), files(), counts, path);
  const report = JSON.parse(await readFile(path, 'utf8')) as { schemaVersion: number; profile: string; files: ReportFile[]; summary: typeof counts };
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.files.length, N);
  assert.deepEqual(report.files[0], JSON.parse(JSON.stringify(synthetic(0))));
  assert.deepEqual(report.files[N - 1], JSON.parse(JSON.stringify(synthetic(N - 1))));
  assert.equal(report.files[54_321].path, synthetic(54_321).path);
  assert.deepEqual(report.summary, { total: 100_000, pass: 33_334, fail: 33_333, error: 33_333 });
  assert.deepEqual((await readdir(dir)).sort(), ['report.json']);
});

test('every format streamed piece by piece, through a file or a pipe, is byte for byte the whole-document formatter', async () => {
  const dir = await tempDir();
  const files = Array.from({ length: 37 }, (_, i) => synthetic(i));
  const summary = summaryOf(files);
  const report = { profile: 'chsi-graduate', files, summary };
  const pictures = new Map([[files[1].path, { thumbnail: 'data:image/jpeg;base64,AAAA', overlay: 'data:image/png;base64,BBBB' }]]);
  const formats: [string, () => StreamFormat, string][] = [
    ['json', () => jsonStream('chsi-graduate'), formatJson(report)],
    ['csv', () => csvStream('zh'), formatCsv(report, 'zh')],
    ['junit', () => junitStream('chsi-graduate', 'en'), formatJunit(report, 'en')],
    ['html', () => htmlStream('chsi-graduate', 'en'), formatHtml(report, 'en', pictures)],
    ['text', () => textStream('chsi-graduate', files.length, { lang: 'en', color: false }), formatText(report, { lang: 'en', color: false })],
  ];
  for (const [name, make, whole] of formats) {
    const path = join(dir, `report.${name}`);
    const format = make();
    const output = await openReport(format, path, { inputs: [] });
    if (!format.headAtEnd) await output.write(format.head());
    for (const file of files) await output.write(format.file(file, pictures.get(file.path)));
    await output.write(format.tail(summary));
    await output.finish(format.headAtEnd ? format.head(summary) : undefined);
    assert.equal(await readFile(path, 'utf8'), whole, `${name} through a file`);

    // Standard output: a pipe, read by someone slower than the writer (a small buffer).
    const pipe = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    pipe.on('data', (chunk: Buffer) => chunks.push(chunk));
    const piped = make();
    const out = await openReport(piped, undefined, { inputs: [], stdout: pipe });
    if (!piped.headAtEnd) await out.write(piped.head());
    for (const file of files) await out.write(piped.file(file, pictures.get(file.path)));
    await out.write(piped.tail(summary));
    await out.finish(piped.headAtEnd ? piped.head(summary) : undefined);
    assert.equal(Buffer.concat(chunks).toString('utf8'), whole, `${name} through a pipe`);
  }
  assert.deepEqual((await readdir(dir)).filter((name) => name.startsWith('.')), [], 'a spool or temporary file was left');
});

test('the streamed JSON is byte for byte JSON.stringify(document, null, 2), as the report was before it streamed; an empty run too', async () => {
  for (const files of [[], [synthetic(0)], Array.from({ length: 5 }, (_, i) => synthetic(i))]) {
    const summary = summaryOf(files);
    const roster = { students: 1, matched: 0, missing: [], unmatched: [], duplicatePhotos: [], duplicateRows: [], badIdNumbers: [], assignments: [] };
    for (const withRoster of [false, true]) {
      const document = { schemaVersion: 1, toolVersion: '0.1.0', profile: 'chsi-graduate', files: JSON.parse(JSON.stringify(files)), summary, ...(withRoster ? { roster } : {}) };
      assert.equal(formatJson({ profile: 'chsi-graduate', files, summary }, withRoster ? roster as never : undefined), `${JSON.stringify(document, null, 2)}\n`);
    }
  }
});

test('an abandoned report leaves neither the report nor its spool, and an existing report untouched', async () => {
  const dir = await tempDir();
  const path = join(dir, 'junit.xml');
  await streamToFile(junitStream('p'), [synthetic(1)], summaryOf([synthetic(1)]), path);
  const before = await readFile(path, 'utf8');
  const format = junitStream('p');
  const output = await openReport(format, path, { inputs: [] });
  await output.write(format.file(synthetic(2)));
  await output.abandon();
  assert.equal(await readFile(path, 'utf8'), before);
  assert.deepEqual(await readdir(dir), ['junit.xml']);
});
