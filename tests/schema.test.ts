import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EXAMPLE, ROOT, runCliInProcess, tempDir } from './helpers.js';

const schema = JSON.parse(await readFile(join(ROOT, 'schema', 'report.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const packageVersion = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('the JSON report matches schema/report.schema.json, with schemaVersion and toolVersion; a drifted report does not', async () => {
  const dir = await tempDir();
  // A pass-or-fail photo, a file that is not an image, and a missing one: every kind of file entry.
  await writeFile(join(dir, 'notes.jpg'), 'not a photo');
  const run = await runCliInProcess(['check', EXAMPLE, join(dir, 'notes.jpg'), join(dir, 'missing.jpg'), '--format', 'json', '--lang', 'en']);
  const report = JSON.parse(run.stdout) as { schemaVersion: number; toolVersion: string; files: { verdict: string; error?: unknown }[] };
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.toolVersion, packageVersion);
  assert.deepEqual(report.files.map((f) => f.verdict), ['fail', 'error', 'error']);
  assert.ok(report.files[1].error && report.files[2].error, 'files that cannot be checked say why');
  // The schema is strict: an unknown key, a status outside the four, or a missing summary field fail it.
  const drifted = [
    { ...report, extra: true },
    { ...report, files: [{ ...report.files[0], checks: [{ rule: 'file.size', status: 'failed', messageId: 'x', message: '', measured: 1, expected: 1 }] }] },
    { ...report, summary: { total: 3, pass: 0, fail: 1 } },
  ];
  for (const wrong of drifted) assert.equal(validate(wrong), false, JSON.stringify(wrong).slice(0, 120));
});
