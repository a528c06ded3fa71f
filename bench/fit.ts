/**
 * Fitting 480x640 masters into 30720–40000 bytes: gradphoto's encoder against ImageMagick's
 * `-define jpeg:extent=40kb` and `jpegoptim --size=40k`, in one run on the same masters.
 * Needs Debian's imagemagick and jpegoptim for the comparison rows (apt-get install imagemagick jpegoptim).
 * Usage: npm run bench:fit [-- --rounds 3]
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { fitToWindow } from '../src/fix/encode.js';
import { onNewBackground } from '../src/fix/composite.js';
import { personMatte } from '../src/analysis/matte.js';
import { faces } from '../src/analysis/face.js';
import { loadPhoto } from '../src/core/load.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WINDOW = { minBytes: 30720, maxBytes: 40000, minQuality: 60, density: 300 };

/** Whether `tool --version` runs and names itself (some machines carry a `convert` stand-in that is not ImageMagick). */
const has = (tool: string, name: string) => {
  try { return execFileSync(tool, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes(name); } catch { return false; }
};

async function luma(bytes: Buffer): Promise<Float32Array> {
  const { data } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(data.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * data[i * 3] + 0.587 * data[i * 3 + 1] + 0.114 * data[i * 3 + 2];
  return out;
}

/** Mean SSIM of the luma over 8x8 windows with stride 4 (Wang et al. 2004 constants). */
function ssim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2; const c2 = (0.03 * 255) ** 2;
  let total = 0; let count = 0;
  for (let y = 0; y + 8 <= height; y += 4) for (let x = 0; x + 8 <= width; x += 4) {
    let ma = 0; let mb = 0;
    for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) { const k = (y + j) * width + x + i; ma += a[k]; mb += b[k]; }
    ma /= 64; mb /= 64;
    let va = 0; let vb = 0; let cov = 0;
    for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) {
      const k = (y + j) * width + x + i; const da = a[k] - ma; const db = b[k] - mb;
      va += da * da; vb += db * db; cov += da * db;
    }
    va /= 63; vb /= 63; cov /= 63;
    total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
    count++;
  }
  return total / count;
}

async function masters(dir: string): Promise<string[]> {
  const sources: string[] = [join(ROOT, 'fixtures', 'astronaut.png'), join(ROOT, 'fixtures', 'example.jpg')];
  const shared = join(ROOT, '..', 'shared', 'photos');
  for (const folder of ['good', 'bad', 'id', 'london', 'portrait', 'glasses/with', 'glasses/without']) {
    const path = join(shared, folder);
    if (!existsSync(path)) continue;
    for (const name of await readdir(path)) if (/\.(jpe?g|png)$/i.test(name)) sources.push(join(path, name));
  }
  const out: string[] = [];
  for (const [i, source] of sources.entries()) {
    const target = join(dir, `master-${i}.png`);
    try {
      await sharp(source).rotate().resize(480, 640, { fit: 'cover', position: 'attention' }).removeAlpha().toColourspace('srgb').png().toFile(target);
      out.push(target);
    } catch { /* not decodable here (HEIC...): not a master */ }
  }
  return out;
}

interface Row { encodes: number[]; ms: number[]; bytes: number[]; inWindow: number; ssim: number[] }
const row = (): Row => ({ encodes: [], ms: [], bytes: [], inWindow: 0, ssim: [] });
const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : NaN);

async function main(): Promise<void> {
  const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
  const dir = await mkdtemp(join(tmpdir(), 'gradphoto-fit-'));
  try {
    const paths = await masters(dir);
    const rows: Record<string, Row> = { gradphoto: row() };
    const haveMagick = has('convert', 'ImageMagick');
    const haveJpegoptim = has('jpegoptim', 'jpegoptim');
    if (haveMagick) rows['ImageMagick jpeg:extent=40kb'] = row();
    if (haveJpegoptim) rows['jpegoptim --size=40k (from q95)'] = row();
    for (const path of paths) {
      const png = await readFile(path);
      const raw = await sharp(png).raw().toBuffer();
      const reference = await luma(png);
      const times: Record<string, number[]> = {};
      const outputs: Record<string, { bytes: Buffer; encodes: number }> = {};
      for (let round = 0; round < rounds; round++) {
        let started = performance.now();
        const fit = await fitToWindow({ data: raw, width: 480, height: 640 }, WINDOW);
        (times.gradphoto ??= []).push(performance.now() - started);
        outputs.gradphoto = { bytes: fit.jpeg, encodes: fit.encodes };
        if (haveMagick) {
          const out = join(dir, 'im.jpg');
          started = performance.now();
          await run('convert', [path, '-define', 'jpeg:extent=40kb', out]);
          (times['ImageMagick jpeg:extent=40kb'] ??= []).push(performance.now() - started);
          outputs['ImageMagick jpeg:extent=40kb'] = { bytes: await readFile(out), encodes: NaN };
        }
        if (haveJpegoptim) {
          const out = join(dir, 'jo.jpg');
          await writeFile(out, await sharp(raw, { raw: { width: 480, height: 640, channels: 3 } }).jpeg({ quality: 95 }).toBuffer());
          started = performance.now();
          await run('jpegoptim', ['--quiet', '--size=40k', out]);
          (times['jpegoptim --size=40k (from q95)'] ??= []).push(performance.now() - started);
          outputs['jpegoptim --size=40k (from q95)'] = { bytes: await readFile(out), encodes: NaN };
        }
      }
      for (const [name, output] of Object.entries(outputs)) {
        const r = rows[name];
        r.ms.push(median(times[name]));
        r.bytes.push(output.bytes.length);
        if (!Number.isNaN(output.encodes)) r.encodes.push(output.encodes);
        if (output.bytes.length >= WINDOW.minBytes && output.bytes.length <= WINDOW.maxBytes) r.inWindow++;
        r.ssim.push(ssim(reference, await luma(output.bytes), 480, 640));
      }
    }
    const base = rows['ImageMagick jpeg:extent=40kb'];
    console.log(`gradphoto bench:fit: ${paths.length} masters of 480x640, window 30720–40000 B, ${rounds} rounds (median ms per master)`);
    console.log('| encoder | encodes (median / max) | ms per photo | x ImageMagick | median bytes | in window | luma SSIM (median) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, r] of Object.entries(rows)) {
      const ratio = base ? (median(r.ms) / median(base.ms)).toFixed(2) : 'n/a';
      const encodes = r.encodes.length ? `${median(r.encodes)} / ${Math.max(...r.encodes)}` : 'internal';
      console.log(`| ${name} | ${encodes} | ${median(r.ms).toFixed(1)} | ${ratio} | ${median(r.bytes)} | ${r.inWindow}/${paths.length} | ${median(r.ssim).toFixed(4)} |`);
    }
    if (base) {
      const better = rows.gradphoto.ssim.filter((v, i) => v >= base.ssim[i]).length;
      console.log(`gradphoto SSIM >= ImageMagick on ${better}/${paths.length} masters`);
      console.log('note: the ImageMagick and jpegoptim times are whole processes (start-up included); gradphoto\'s is in-process from raw pixels.');
    } else {
      console.log('ImageMagick/jpegoptim not found: apt-get install imagemagick jpegoptim for the comparison rows.');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await matteBench();
}

/**
 * The new background: person matte (model and refinement) and the decontaminated composite on the
 * example's 480x640 frame, against the JPEG fit of the same frame in the same run (a ratio, since
 * this machine's speed drifts). The fix issue's budget: matte and composite under 250 ms.
 */
async function matteBench(): Promise<void> {
  const outcome = await loadPhoto(join(ROOT, 'fixtures', 'example.jpg'));
  if (outcome.kind !== 'photo') throw new Error('the example did not load');
  const face = (await faces(outcome.photo)).main!;
  const image = { data: outcome.photo.pixels.data, width: 480, height: 640 };
  // As fix does: the model on a 35% wider framing too (here the example's own edges repeated), then the
  // frame and its mirror image.
  const both = async () => {
    const window = { left: 168, top: 224, width: 480, height: 640 };
    const wide = await personMatte(image, { left: -168, top: -224, width: 816, height: 1088 }, 816, 1088, { coarseOnly: true, window });
    return onNewBackground(image, face.mesh, [100, 197, 255], wide.coarse);
  };
  await both(); // model load and JIT warm-up
  const matte: number[] = []; const encode: number[] = [];
  for (let i = 0; i < 9; i++) {
    let started = performance.now();
    await both();
    matte.push(performance.now() - started);
    started = performance.now();
    await fitToWindow(image, WINDOW);
    encode.push(performance.now() - started);
  }
  console.log(`\nnew background on a 480x640 frame (9 rounds, alternating): three model passes (wider, frame, mirror) + refinement + composite ${median(matte).toFixed(0)} ms `
    + `(min ${Math.min(...matte).toFixed(0)}), JPEG fit ${median(encode).toFixed(0)} ms, ratio ${(median(matte) / median(encode)).toFixed(2)}; budget 250 ms`);
}

await main();
