/**
 * Speed of a full check against a decode-only baseline, measured in the same run on the same
 * 480x640 photos (generated from the committed fixture), so the ratio holds on a noisy machine.
 * Usage: npm run bench [-- --photos 40 --rounds 3]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
