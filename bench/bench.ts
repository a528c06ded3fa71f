/**
 * Speed of a full check against a decode-only baseline, measured in the same run on the same
 * 480x640 photos (generated from the committed fixture), so the ratio holds on a noisy machine.
 * Usage: npm run bench [-- --photos 40 --rounds 3 --batch 500]
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { faceModel } from '../src/analysis/face-model.js';
import { loadPhoto } from '../src/core/load.js';
import { checkFile, resolveRules } from '../src/core/run.js';
import { chsiGraduate } from '../src/profiles/chsi-graduate.js';
import { builtinRules } from '../src/rules/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};

/** 480x640 head-and-shoulders crops of the fixture at different zooms and offsets. */
async function makePhotos(dir: string, count: number): Promise<string[]> {
  const source = join(ROOT, 'fixtures', 'astronaut.png');
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const width = 240 + (i * 37) % 140;
    const height = Math.round((width * 4) / 3);
    const left = Math.min(512 - width, 60 + (i * 23) % 90);
    const top = Math.min(512 - height, (i * 11) % 40);
    const bytes = await sharp(source).extract({ left, top, width, height }).resize(480, 640)
      .jpeg({ quality: 70 + (i % 20) }).toBuffer();
    const path = join(dir, `photo-${i}.jpg`);
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeEach(paths: string[], rounds: number, run: (path: string) => Promise<unknown>): Promise<number> {
  const perPhoto: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      const started = performance.now();
      await run(path);
      perPhoto.push(performance.now() - started);
    }
  }
  return median(perPhoto);
}

async function main(): Promise<void> {
  const count = arg('photos', 40);
  const rounds = arg('rounds', 3);
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-bench-'));
  try {
    const paths = await makePhotos(dir, count);
    const rules = resolveRules(chsiGraduate, builtinRules);
    const loadStarted = performance.now();
    await faceModel();
    const modelLoadMs = performance.now() - loadStarted;
    // Warm up both paths (JIT, wasm, sharp's caches) before measuring.
    for (const path of paths.slice(0, 5)) { await loadPhoto(path); await checkFile(path, rules, { lang: 'en' }); }

    sharp.concurrency(1); // per core: one libvips thread, one photo at a time
    const decodeMs = await timeEach(paths, rounds, (path) => loadPhoto(path));
    const fullMs = await timeEach(paths, rounds, (path) => checkFile(path, rules, { lang: 'en' }));
    const faceOnly = await timeEach(paths, rounds, async (path) => {
      const outcome = await loadPhoto(path);
      if (outcome.kind !== 'photo') return;
      const { detectFaces } = await import('../src/analysis/face-model.js');
      const started = performance.now();
      await detectFaces(outcome.photo.pixels);
      return performance.now() - started;
    });

    console.log(`gradphoto bench: ${count} photos of 480x640, ${rounds} rounds, median per photo, one photo at a time`);
    console.log(`| measure | ms per photo | x decode |`);
    console.log(`|---|---|---|`);
    console.log(`| decode only (read, sniff, EXIF, decode pixels) | ${decodeMs.toFixed(1)} | 1.0 |`);
    console.log(`| decode + face model | ${faceOnly.toFixed(1)} | ${(faceOnly / decodeMs).toFixed(1)} |`);
    console.log(`| full check (decode + every rule) | ${fullMs.toFixed(1)} | ${(fullMs / decodeMs).toFixed(1)} |`);
    console.log(`face model load, once per process: ${modelLoadMs.toFixed(0)} ms`);
    console.log(`target: full check under 40 ms and at most about 15x decode: ${fullMs < 40 && fullMs / decodeMs <= 15 ? 'met' : 'NOT met'}`);

    // A class folder: the whole CLI (start-up, discovery, worker threads, every rule, JSON) against a
    // decode-only pass over the same files at the same concurrency.
    const folder = join(dir, 'class');
    await mkdir(folder);
    const batch = arg('batch', 500);
    for (let i = 0; i < batch; i++) await copyFile(paths[i % paths.length], join(folder, `${String(i).padStart(4, '0')}.jpg`));
    const files = (await readdir(folder)).map((name) => join(folder, name));
    const threads = availableParallelism();
    let started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: threads }, async () => { while (next < files.length) await loadPhoto(files[next++]); }));
    const decodeSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradphoto.js'), 'check', folder, '--format', 'json', '-j', String(threads)], { maxBuffer: 1 << 30, env: { ...process.env, CI: '1' } });
    const checkSeconds = (performance.now() - started) / 1000;
    const report = JSON.parse(run.stdout.toString()) as { summary: { total: number } };
    console.log(`\nclass folder: ${report.summary.total} photos, ${threads} threads`);
    console.log('| pass | seconds | photos per second | x decode-only |');
    console.log('|---|---|---|---|');
    console.log(`| decode only, in-process | ${decodeSeconds.toFixed(1)} | ${(files.length / decodeSeconds).toFixed(0)} | 1.0 |`);
    console.log(`| gradphoto check (whole CLI, every rule) | ${checkSeconds.toFixed(1)} | ${(files.length / checkSeconds).toFixed(1)} | ${(checkSeconds / decodeSeconds).toFixed(1)} |`);
    console.log(`target 50 photos/s with every rule: ${files.length / checkSeconds >= 50 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
