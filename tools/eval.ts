/**
 * Calibration: run the checker on a folder of labelled photos and print, per rule, how often its
 * status agrees with the manifest (MANIFEST.tsv: file, expected verdict, rules that must fail,
 * rules that must pass or ALL). Usage: npm run eval -- <folder> [manifest.tsv] [--json]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkFile, resolveRules } from '../src/core/run.js';
import type { FileResult } from '../src/contract/types.js';
import { defaultProfile } from '../src/profiles/index.js';
import { builtinRules } from '../src/rules/index.js';

interface Row { file: string; expected: string[]; mustFail: string[]; mustPass: string[] | 'ALL' }

function parseManifest(text: string): Row[] {
  const [header, ...lines] = text.split('\n').filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  const at = (name: string) => columns.indexOf(name);
  return lines.map((line) => {
    const cells = line.split('\t');
    const words = (name: string) => (cells[at(name)] ?? '').split(/[\s,]+/).filter(Boolean);
    const passing = words('expected_passing_rules');
    return {
      file: cells[at('file')], expected: (cells[at('expected')] ?? '').split('|'),
      mustFail: words('expected_failing_rules'), mustPass: passing.includes('ALL') ? 'ALL' : passing,
    };
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (args.length === 0) {
    console.error('usage: npm run eval -- <folder> [manifest.tsv] [--json]');
    process.exit(2);
  }
  const folder = args[0];
  const rows = parseManifest(await readFile(args[1] ?? join(folder, 'MANIFEST.tsv'), 'utf8'));
  const rules = resolveRules(defaultProfile, builtinRules);
  const ruleIds = rules.map((r) => r.rule.id);
  const results = new Map<string, FileResult>();
  const started = performance.now();
  for (const row of rows) results.set(row.file, await checkFile(join(folder, row.file), rules, { frame: defaultProfile.frame }));
  const ms = performance.now() - started;

  const table = ruleIds.map((rule) => {
    const failHits: string[] = []; const failMisses: string[] = [];
    const passHits: string[] = []; const passMisses: string[] = [];
    for (const row of rows) {
      const found = results.get(row.file)!.checks.filter((c) => c.rule === rule).map((c) => c.status);
      const status = found.includes('fail') ? 'fail' : found.includes('warn') ? 'warn' : found[0] ?? 'absent';
      if (row.mustFail.includes(rule)) (status === 'fail' ? failHits : failMisses).push(`${row.file}=${status}`);
      else if (row.mustPass === 'ALL' || row.mustPass.includes(rule)) (status === 'pass' || status === 'warn' ? passHits : passMisses).push(`${row.file}=${status}`);
    }
    return { rule, mustFail: [failHits.length, failHits.length + failMisses.length], mustPass: [passHits.length, passHits.length + passMisses.length], misses: [...failMisses, ...passMisses] };
  });
  const verdictHits = rows.filter((row) => row.expected.includes(results.get(row.file)!.verdict));

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ table, verdict: [verdictHits.length, rows.length] }, null, 2));
    return;
  }
  const cell = ([hit, total]: number[]) => (total === 0 ? '–' : `${hit}/${total}`);
  console.log(`| rule | must fail: agrees | must pass: agrees | disagreements |`);
  console.log(`|---|---|---|---|`);
  for (const row of table) console.log(`| ${row.rule} | ${cell(row.mustFail)} | ${cell(row.mustPass)} | ${row.misses.join(', ') || ''} |`);
  const unmeasured = [...new Set(rows.flatMap((r) => r.mustFail))].filter((rule) => !ruleIds.includes(rule));
  if (unmeasured.length) console.log(`\nRules in the manifest that this build does not have yet: ${unmeasured.join(', ')}`);
  console.log(`\nVerdict agrees with the manifest on ${verdictHits.length}/${rows.length} files; ${rows.length} files in ${(ms / 1000).toFixed(1)} s.`);
  const verdictMisses = rows.filter((row) => !verdictHits.includes(row)).map((row) => `${row.file} (expected ${row.expected.join('|')}, got ${results.get(row.file)!.verdict})`);
  if (verdictMisses.length) console.log(`Verdict disagreements: ${verdictMisses.join('; ')}`);
}

await main();
