import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { Report } from '../src/contract/types.js';
import { formatJunit } from '../src/report/junit.js';
import { formatText } from '../src/report/text.js';
import { BIN, EXAMPLE, runCliInProcess, tempDir } from './helpers.js';

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
  const run = await runCliInProcess(['check', dir, '--format', 'json', '--lang', 'en', '-j', '2']);
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr.slice(0, 500)}`);
  assert.doesNotMatch(run.stderr, /internal error/);
  const report = JSON.parse(run.stdout) as { files: { path: string; verdict: string; checks: { status: string; messageId: string }[] }[] };
  assert.deepEqual(report.files.map((f) => f.path).sort(), paths.sort());
  for (const file of report.files) {
    assert.ok(['pass', 'fail', 'error'].includes(file.verdict));
    assert.ok(!file.checks.some((c) => c.messageId === 'internalError'), `${file.path}: a rule crashed`);
  }
});

const HOSTILE_COUNT = Number(process.env.GRADPHOTO_FUZZ_HOSTILE ?? 300);

test(`fuzz: ${HOSTILE_COUNT} hostile files (seed ${SEED}): forged sizes, foreign formats, hostile names, pipes; every report whole, nothing raw reaches the terminal`, async () => {
  const dir = await tempDir();
  const rand = random(SEED ^ 0x5eed);
  const pick = (n: number) => Math.floor(rand() * n);
  const small = sharp(EXAMPLE).resize(60, 80);
  const jpegs = [await small.clone().jpeg().toBuffer(), await small.clone().jpeg({ progressive: true }).toBuffer(), await readFile(EXAMPLE)];
  const foreign = [await small.clone().png().toBuffer(), await small.clone().webp().toBuffer(), await small.clone().gif().toBuffer(), await small.clone().tiff().toBuffer()];
  const nasty = ['\u001b[2J', '\u001b]0;x\u0007', '\n', '\r', '\t', '\u009b', '\u202e', '\ufffe', '\uffff', '\u007f', '"', '<', '&', '=cmd', '张三'];
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const gbk = new TextDecoder('gb18030');
  const expected: string[] = [];
  for (let i = 0; i < HOSTILE_COUNT; i++) {
    let bytes: Buffer;
    const kind = pick(5);
    if (kind === 0) {
      // A JPEG whose frame header declares another size (huge, tiny, zero).
      bytes = Buffer.from(jpegs[pick(jpegs.length)]);
      for (let at = 2; at + 9 < bytes.length;) {
        if (bytes[at] !== 0xff) break;
        const marker = bytes[at + 1];
        if (marker === 0xc0 || marker === 0xc2) {
          const size = () => [0, 1, 4, 8, 65535, 10000, 20000][pick(7)] || pick(65536);
          bytes.writeUInt16BE(size(), at + 5); bytes.writeUInt16BE(size(), at + 7);
          break;
        }
        at += 2 + bytes.readUInt16BE(at + 2);
      }
    } else if (kind === 1) {
      bytes = Buffer.from(foreign[pick(foreign.length)]);
      for (let flips = pick(6); flips > 0; flips--) bytes[8 + pick(bytes.length - 8)] ^= 1 << pick(8);
      if (rand() < 0.3) bytes = bytes.subarray(0, pick(bytes.length));
    } else if (kind === 2) {
      const side = 1 + pick(9990);
      bytes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${1 + pick(9990)}"><filter id="b"><feGaussianBlur stdDeviation="${pick(200)}"/></filter><circle cx="${pick(side)}" cy="50" r="${pick(5000)}" filter="url(#b)"/></svg>`);
    } else {
      bytes = jpegs[pick(2)]; // a sound photo with a hostile name
    }
    // A name: plain, with characters a terminal or XML must not get raw, in GBK bytes, or as long as allowed.
    const stem = `f${String(i).padStart(3, '0')}`;
    const style = pick(4);
    let name: Buffer;
    if (style === 0) name = Buffer.from(`${stem}.jpg`);
    else if (style === 1) name = Buffer.from(`${stem}${Array.from({ length: 1 + pick(3) }, () => nasty[pick(nasty.length)]).join('')}.jpg`);
    else if (style === 2) name = Buffer.concat([Buffer.from(stem), Buffer.from(Array.from({ length: 2 + 2 * pick(4) }, () => 0x81 + pick(0x7e))), Buffer.from('.jpg')]);
    else name = Buffer.from(`${stem}${'长'.repeat(82)}.jpg`); // 254 bytes
    await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name]), bytes);
    let shown: string;
    try { shown = utf8.decode(name); } catch { shown = gbk.decode(name); }
    expected.push(`${dir}/${shown}`);
  }
  for (const name of ['pipe', 'pipe.jpg']) {
    execFileSync('mkfifo', [join(dir, name)]);
    expected.push(join(dir, name));
  }

  // Killed after a minute: a hang (a pipe opened, a drawing rasterised) fails here instead of stalling the suite.
  const within = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
  const json = await within(['check', dir, '--format', 'json', '--lang', 'en', '-j', '2']);
  assert.ok(json.code === 0 || json.code === 1, `exit ${json.code ?? 'none: killed after a minute'}: ${json.stderr.slice(0, 500)}`);
  assert.doesNotMatch(json.stderr, /internal error|terminate called/);
  const report = JSON.parse(json.stdout) as { files: { path: string; verdict: string; checks: { messageId: string; rule: string; message: string }[] }[] };
  assert.deepEqual(report.files.map((f) => f.path).sort(), expected.sort());
  for (const file of report.files) {
    assert.ok(['pass', 'fail', 'error'].includes(file.verdict));
    const crashed = file.checks.find((c) => c.messageId === 'internalError');
    assert.ok(!crashed, `${file.path}: ${crashed?.message}`);
  }
  // The text and JUnit reports format the same worded results the JSON carries (the CLI words them once for
  // every format), so they are made here from it rather than by checking the 302 files twice more (43 s).
  const worded = report as unknown as Report;
  const text = formatText(worded, { lang: 'en', color: false, showPasses: true });
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'a control character reached the terminal');
  const junit = formatJunit(worded, 'en');
  assert.doesNotMatch(junit, /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u, 'a character XML forbids');
  assert.equal(junit.match(/<testcase /g)?.length, report.files.reduce((sum, f) => sum + new Set(f.checks.map((c) => c.rule)).size, 0));
});
