import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { EXAMPLE, runCli, tempDir } from './helpers.js';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.GRADPHOTO_FUZZ_SEED ?? 20261129);
const COUNT = Number(process.env.GRADPHOTO_FUZZ_COUNT ?? 500);

test(`fuzz: ${COUNT} mutated JPEGs (seed ${SEED}) never crash check, the JSON parses, every input appears once`, async () => {
  const dir = await tempDir();
  const rand = random(SEED);
  const pick = (n: number) => Math.floor(rand() * n);
  // Small sources keep the run short; the decoder paths are the same.
  const sources = [
    await sharp(EXAMPLE).resize(120, 160).jpeg({ quality: 80 }).toBuffer(),
    await sharp(EXAMPLE).resize(120, 160).jpeg({ quality: 80, progressive: true }).toBuffer(),
    await sharp(EXAMPLE).resize(96, 128).jpeg({ quality: 60 }).withMetadata({ orientation: 6 }).toBuffer(),
    await readFile(EXAMPLE),
  ];
  const paths: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const source = sources[pick(sources.length)];
    let bytes = Buffer.from(source);
    const kind = pick(4);
    if (kind === 0) {
      for (let flips = 1 + pick(20); flips > 0; flips--) bytes[pick(bytes.length)] ^= 1 << pick(8);
    } else if (kind === 1) {
      bytes = bytes.subarray(0, pick(bytes.length));
    } else if (kind === 2) {
      const start = pick(bytes.length); const length = 1 + pick(400);
      const chunk = bytes.subarray(start, start + length);
      const at = pick(bytes.length);
      bytes = Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]);
    } else {
      // Mangle a marker length, a favourite of broken writers.
      for (let at = 2; at + 4 < bytes.length; at++) {
        if (bytes[at] === 0xff && bytes[at + 1] >= 0xc0 && bytes[at + 1] <= 0xfe && rand() < 0.3) { bytes.writeUInt16BE(pick(65536), at + 2); break; }
      }
    }
    const path = join(dir, `m-${String(i).padStart(3, '0')}.jpg`);
    await writeFile(path, bytes);
    paths.push(path);
  }
  const run = await runCli(['check', dir, '--format', 'json', '--lang', 'en', '-j', '2']);
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr.slice(0, 500)}`);
  assert.doesNotMatch(run.stderr, /internal error/);
  const report = JSON.parse(run.stdout) as { files: { path: string; verdict: string; checks: { status: string; messageId: string }[] }[] };
  assert.deepEqual(report.files.map((f) => f.path).sort(), paths.sort());
  for (const file of report.files) {
    assert.ok(['pass', 'fail', 'error'].includes(file.verdict));
    assert.ok(!file.checks.some((c) => c.messageId === 'internalError'), `${file.path}: a rule crashed`);
  }
});
