/**
 * Calibration: run the checker on a folder of labelled photos and print, per rule, how often its
 * status agrees with the manifest (MANIFEST.tsv: file, expected verdict, rules that must fail,
 * rules that must pass or ALL). Usage: npm run eval -- <folder> [manifest.tsv] [--json] [--stability]
 *
 * --stability: how often a rule's verdict on a photo changes when nothing that matters changes (the
 * photo mirrored, 6% brighter, 90% the size). Agreement with the labels says how right the limits are
 * on these photos; flips say how many verdicts sit on a limit within the measurement's own noise, which
 * is what photos nobody labelled will meet.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharp } from '../src/platform/sharp.js';
import { type ActiveRule, checkFile, resolveRules } from '../src/core/run.js';
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

/** Rules about the file rather than the scene: a re-encoded or resized copy changes them by design. */
const FILE_PROPERTY = /^(file\.|image\.(dimensions|dpi|jpeg-quality|orientation)$|admission\.)/;
const VARIANTS: [string, (image: ReturnType<typeof sharp>, width: number) => ReturnType<typeof sharp>][] = [
  ['mirrored', (image) => image.flop()],
  ['6% brighter', (image) => image.linear(1.06, 4)],
  ['90% size', (image, width) => image.resize(Math.round(width * 0.9))],
];

/** Per rule, on how many photos its fail/not-fail verdict changes under each variant. */
async function stability(folder: string, rows: Row[], rules: ActiveRule[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-stability-'));
  const flips = new Map<string, number[]>(); const seen = new Map<string, number>(); const detail: string[] = [];
  const failing = (result: FileResult) => new Map(result.checks.filter((c) => !FILE_PROPERTY.test(c.rule))
    .map((c) => [c.rule, result.checks.some((d) => d.rule === c.rule && d.status === 'fail')]));
  try {
    for (const row of rows) {
      // Every photo is compared with its own copy at quality 95, so re-encoding alone never counts as a flip.
      const decoded = await sharp(join(folder, row.file)).rotate().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }).catch(() => undefined);
      if (!decoded) continue;
      const pixels = () => sharp(decoded.data, { raw: decoded.info });
      const checkCopy = async (name: string, image: ReturnType<typeof sharp>) => {
        const path = join(dir, `${name}.jpg`);
        await writeFile(path, await image.jpeg({ quality: 95 }).toBuffer());
        return failing(await checkFile(path, rules, { frame: defaultProfile.frame }));
      };
      const reference = await checkCopy('reference', pixels());
      for (const [v, [name, make]] of VARIANTS.entries()) {
        const variant = await checkCopy(`variant-${v}`, make(pixels(), decoded.info.width));
        for (const [rule, fails] of reference) {
          if (v === 0) seen.set(rule, (seen.get(rule) ?? 0) + 1);
          if (!flips.has(rule)) flips.set(rule, VARIANTS.map(() => 0));
          if (variant.get(rule) !== undefined && variant.get(rule) !== fails) {
            flips.get(rule)![v]++;
            detail.push(`${row.file} ${name}: ${rule} ${fails ? 'fail → not fail' : 'not fail → fail'}`);
          }
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nStability: each photo's verdicts against the same photo ${VARIANTS.map(([name]) => name).join(', ')} (all re-encoded at quality 95); a flip is fail on one and not on the other.`);
  console.log(`| rule | photos | ${VARIANTS.map(([name]) => name).join(' | ')} |`);
  console.log(`|---|---|${VARIANTS.map(() => '---|').join('')}`);
  let total = 0; let checks = 0;
  for (const [rule, counts] of [...flips].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`| ${rule} | ${seen.get(rule)} | ${counts.join(' | ')} |`);
    total += counts.reduce((a, b) => a + b, 0); checks += (seen.get(rule) ?? 0) * VARIANTS.length;
  }
  console.log(`\n${total} flips in ${checks} rule verdicts (${((total / Math.max(1, checks)) * 100).toFixed(1)}%).`);
  for (const line of detail) console.log(`- ${line}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (args.length === 0) {
    console.error('usage: npm run eval -- <folder> [manifest.tsv] [--json] [--stability]');
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
  if (process.argv.includes('--stability')) await stability(folder, rows, rules);
}

await main();
