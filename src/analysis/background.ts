import { analyse, defineAnalysis } from '../contract/analysis.js';
import type { Photo, Pixels } from '../contract/types.js';
import { rgbDistance, rgbDistanceSquared9, type Rgb } from './colour.js';
import { faces, type Face } from './face.js';

/** Background colour as a smooth function of position: c(x, y) = k0 + k1 x + k2 y + k3 x² + k4 y² + k5 xy per channel (x, y in 0..1). */
export type BackgroundFit = [number[], number[], number[]];

export interface BackgroundAnalysis {
  /** 1 where the pixel is background (connected to the frame edge through background-like pixels). */
  mask: Uint8Array;
  width: number;
  height: number;
  /** Share of the picture that is background. */
  share: number;
  /** Mean background colour. */
  mean: Rgb;
  fit: BackgroundFit;
  /** Residual spread of background pixels around the smooth fit (texture, objects, noise), redmean units. */
  residual: number;
  /** Colour change of the fit across the frame: left to right and top to bottom, redmean units. */
  gradientX: number;
  gradientY: number;
  /** Mean colours of the top-left, top-right, left-middle and right-middle background patches. */
  patches: Rgb[];
  /** Largest patch-to-mean difference, redmean units (shadows, uneven light). */
  patchSpread: number;
  /** Threshold used for "background-like", redmean units. */
  threshold: number;
}

/** Whether the pixel (x, y) of a picture `width` x `height` falls on the background mask (kept at a lower resolution). */
export function onBackground(bg: BackgroundAnalysis, x: number, y: number, width: number, height: number): boolean {
  const bx = Math.min(bg.width - 1, Math.floor((x * bg.width) / width));
  const by = Math.min(bg.height - 1, Math.floor((y * bg.height) / height));
  return bg.mask[by * bg.width + bx] === 1;
}

/** Whether a mask cell or one of its eight neighbours is set. */
export function touches(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    const nx = x + dx; const ny = y + dy;
    if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[ny * width + nx]) return true;
  }
  return false;
}

export function evalFit(fit: BackgroundFit, x: number, y: number): Rgb {
  const channel = (k: number[]) => k[0] + k[1] * x + k[2] * y + k[3] * x * x + k[4] * y * y + k[5] * x * y;
  return [channel(fit[0]), channel(fit[1]), channel(fit[2])];
}

/**
 * Sums of the normal equations AᵀA (upper triangle) and Aᵀb for the 6-term fit; samples as x, y, r, g,
 * b runs. The terms are 1, x, y, x², y², xy; each sum is written out and kept in a local (the same
 * additions in the same order as a loop over the terms, so the same result to the bit).
 */
function normalSums(samples: Float64Array, count: number, ata: Float64Array, atb: Float64Array): void {
  let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a04 = 0, a05 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
  let a22 = 0, a23 = 0, a24 = 0, a25 = 0, a33 = 0, a34 = 0, a35 = 0, a44 = 0, a45 = 0, a55 = 0;
  const r = new Float64Array(6); const g = new Float64Array(6); const b = new Float64Array(6);
  for (let s = 0, at = 0; s < count; s++, at += 5) {
    const x = samples[at]; const y = samples[at + 1];
    const xx = x * x; const yy = y * y; const xy = x * y;
    const cr = samples[at + 2]; const cg = samples[at + 3]; const cb = samples[at + 4];
    a00 += 1 * 1; a01 += 1 * x; a02 += 1 * y; a03 += 1 * xx; a04 += 1 * yy; a05 += 1 * xy;
    a11 += x * x; a12 += x * y; a13 += x * xx; a14 += x * yy; a15 += x * xy;
    a22 += y * y; a23 += y * xx; a24 += y * yy; a25 += y * xy;
    a33 += xx * xx; a34 += xx * yy; a35 += xx * xy;
    a44 += yy * yy; a45 += yy * xy;
    a55 += xy * xy;
    r[0] += 1 * cr; r[1] += x * cr; r[2] += y * cr; r[3] += xx * cr; r[4] += yy * cr; r[5] += xy * cr;
    g[0] += 1 * cg; g[1] += x * cg; g[2] += y * cg; g[3] += xx * cg; g[4] += yy * cg; g[5] += xy * cg;
    b[0] += 1 * cb; b[1] += x * cb; b[2] += y * cb; b[3] += xx * cb; b[4] += yy * cb; b[5] += xy * cb;
  }
  ata.set([a00, a01, a02, a03, a04, a05, 0, a11, a12, a13, a14, a15, 0, 0, a22, a23, a24, a25, 0, 0, 0, a33, a34, a35, 0, 0, 0, 0, a44, a45, 0, 0, 0, 0, 0, a55]);
  atb.set(r, 0); atb.set(g, 6); atb.set(b, 12);
}

/**
 * Least squares for the 6-term fit (normal equations, Gaussian elimination). The sums are a loop
 * function of their own, so the code after it has type feedback when the JIT compiles the loop.
 */
function fitSurface(samples: Float64Array, count: number): BackgroundFit {
  const n = 6;
  // AᵀA is symmetric: sum its upper triangle only, in flat arrays (the products are the same either way).
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(3 * n);
  normalSums(samples, count, ata, atb);
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i <= j ? ata[i * n + j] : ata[j * n + i])));
  for (let i = 0; i < n; i++) rows[i][i] += 1e-6 * count; // keep it solvable when samples are few
  return [0, 1, 2].map((ch) => solve(rows.map((row) => [...row]), Array.from(atb.subarray(ch * n, ch * n + n)))) as BackgroundFit;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = 0; r < n; r++) {
      if (r === col || a[col][col] === 0) continue;
      const f = a[r][col] / a[col][col];
      for (let k = col; k < n; k++) a[r][k] -= f * a[col][k];
      b[r] -= f * b[col];
    }
  }
  return b.map((v, i) => (a[i][i] === 0 ? 0 : v / a[i][i]));
}

/** The fitted colour at every pixel, computed once per fit. */
export function renderFit(fit: BackgroundFit, width: number, height: number, out: Float32Array = new Float32Array(width * height * 3)): Float32Array {
  // As typed arrays: a fit comes as small integers (the first pass) or as doubles (least squares), and
  // plain arrays of each kind made the JIT recompile this for each.
  const [kr, kg, kb] = fit.map((k) => Float64Array.from(k));
  const us = new Float64Array(width);
  for (let x = 0; x < width; x++) us[x] = x / width;
  for (let y = 0, o = 0; y < height; y++) {
    const v = y / height;
    const br = kr[0] + kr[2] * v + kr[4] * v * v; const sr = kr[1] + kr[5] * v; const qr = kr[3];
    const bg = kg[0] + kg[2] * v + kg[4] * v * v; const sg = kg[1] + kg[5] * v; const qg = kg[3];
    const bb = kb[0] + kb[2] * v + kb[4] * v * v; const sb = kb[1] + kb[5] * v; const qb = kb[3];
    for (let x = 0; x < width; x++, o += 3) {
      const u = us[x];
      out[o] = br + sr * u + qr * u * u;
      out[o + 1] = bg + sg * u + qg * u * u;
      out[o + 2] = bb + sb * u + qb * u * u;
    }
  }
  return out;
}

/** Whether pixel `index` is within `limit` (squared, x9) of the fitted surface. */
function near(data: Uint8Array, surface: Float32Array, index: number, limit: number): boolean {
  const o = index * 3;
  return rgbDistanceSquared9(data[o], data[o + 1], data[o + 2], surface[o], surface[o + 1], surface[o + 2]) < limit;
}

/**
 * Flood fill `mask` (cleared first) from the seeds over pixels within `threshold` (redmean, as
 * colour.ts's rgbDistance) of the fitted background `surface`; below `floorY` (the chin) only within
 * half of it. `stack` is scratch space of the mask's length, reused across passes.
 */
function fill(pixels: Pixels, surface: Float32Array, threshold: number, seeds: number[], floorY: number, mask: Uint8Array, stack: Int32Array): void {
  const { data, width } = pixels;
  mask.fill(0);
  let top = 0;
  const floorIndex = Math.ceil(floorY) * width;
  // Squared distances (x9, as rgbDistance divides by 3): no square root per pixel.
  const above = threshold * threshold * 9;
  const below = above / 4; // a shirt like the background must not be eaten: near-exact matches only
  const n = mask.length;
  const close = (index: number): boolean => near(data, surface, index, index > floorIndex ? below : above);
  for (const seed of seeds) if (!mask[seed] && close(seed)) { mask[seed] = 1; stack[top++] = seed; }
  while (top > 0) {
    const index = stack[--top];
    const x = index % width;
    let next = index - width;
    if (next >= 0 && !mask[next] && close(next)) { mask[next] = 1; stack[top++] = next; }
    next = index + width;
    if (next < n && !mask[next] && close(next)) { mask[next] = 1; stack[top++] = next; }
    next = index - 1;
    if (x > 0 && !mask[next] && close(next)) { mask[next] = 1; stack[top++] = next; }
    next = index + 1;
    if (x < width - 1 && !mask[next] && close(next)) { mask[next] = 1; stack[top++] = next; }
  }
}

/** Analyse at most this many pixels on the long side: enough for colour and uniformity. */
const ANALYSIS_LONG_SIDE = 240;

/**
 * Working arrays reused from photo to photo (measureBackground runs synchronously and returns none
 * of them): fresh ones cost about 0.8 MB a photo, which in batches kept the garbage collector busy.
 */
const scratch = {
  bytes: Buffer.alloc(0), surface: new Float32Array(0), stack: new Int32Array(0), samples: new Float64Array(0),
};
const grow = {
  bytes: (n: number) => Buffer.alloc(n), surface: (n: number) => new Float32Array(n),
  stack: (n: number) => new Int32Array(n), samples: (n: number) => new Float64Array(n),
};
function reuse<K extends keyof typeof scratch>(key: K, length: number): (typeof scratch)[K] {
  if (scratch[key].length < length) (scratch as Record<K, unknown>)[key] = grow[key](length);
  return scratch[key].subarray(0, length) as (typeof scratch)[K];
}

/** Rounded means of `area` bytes, by their sum: a table lookup instead of a division per value. */
const meanTables = new Map<number, Uint8Array>();
function meanTable(area: number): Uint8Array {
  let table = meanTables.get(area);
  if (!table) {
    table = new Uint8Array(area * 255 + 1);
    for (let sum = 0; sum < table.length; sum++) table[sum] = Math.round(sum / area);
    meanTables.set(area, table);
  }
  return table;
}

/** 3x3 block means of `src` (RGB, `rowBytes` a row) into `data`, `width` x `height` blocks: each output
 * value from its nine source values in one go, the three channels written out. */
function blockMeans3(src: Uint8Array, rowBytes: number, data: Uint8Array, width: number, height: number, mean: Uint8Array): void {
  for (let y = 0, o = 0; y < height; y++) {
    let p = y * 3 * rowBytes; let q = p + rowBytes; let r = q + rowBytes;
    for (let x = 0; x < width; x++, o += 3, p += 9, q += 9, r += 9) {
      data[o] = mean[src[p] + src[p + 3] + src[p + 6] + src[q] + src[q + 3] + src[q + 6] + src[r] + src[r + 3] + src[r + 6]];
      data[o + 1] = mean[src[p + 1] + src[p + 4] + src[p + 7] + src[q + 1] + src[q + 4] + src[q + 7] + src[r + 1] + src[r + 4] + src[r + 7]];
      data[o + 2] = mean[src[p + 2] + src[p + 5] + src[p + 8] + src[q + 2] + src[q + 5] + src[q + 8] + src[r + 2] + src[r + 5] + src[r + 8]];
    }
  }
}

/** `factor` x `factor` block means, any factor. */
function blockMeans(src: Uint8Array, rowBytes: number, data: Uint8Array, width: number, height: number, factor: number, mean: Uint8Array): void {
  const span = width * 3;
  const sums = new Uint32Array(span);
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let i = (y * factor + dy) * rowBytes;
      for (let o = 0; o < span; o += 3) {
        let r = 0; let g = 0; let b = 0;
        for (let dx = 0; dx < factor; dx++, i += 3) { r += src[i]; g += src[i + 1]; b += src[i + 2]; }
        sums[o] += r; sums[o + 1] += g; sums[o + 2] += b;
      }
    }
    const o = y * span;
    for (let k = 0; k < span; k++) data[o + k] = mean[sums[k]];
  }
}

/**
 * Block means (box filter) to at most ANALYSIS_LONG_SIDE on the long side; 3x3 blocks (480x640) written
 * out. The loops are functions of their own: code after a hot loop, in the same function, had no type
 * feedback when the loop was compiled, and the JIT threw the compiled loop away on reaching it, 13 times.
 */
function downscale(pixels: Pixels): Pixels {
  const factor = Math.max(1, Math.ceil(Math.max(pixels.width, pixels.height) / ANALYSIS_LONG_SIDE));
  if (factor === 1) return pixels;
  const width = Math.floor(pixels.width / factor); const height = Math.floor(pixels.height / factor);
  const data = reuse('bytes', width * height * 3);
  const mean = meanTable(factor * factor);
  if (factor === 3) blockMeans3(pixels.data, pixels.width * 3, data, width, height, mean);
  else blockMeans(pixels.data, pixels.width * 3, data, width, height, factor, mean);
  return { data, width, height, scale: pixels.scale * (width / pixels.width) };
}

/** Every `step`th masked pixel as x, y (0..1), r, g, b runs into `samples`; how many. */
function sampleMasked(pixels: Pixels, mask: Uint8Array, step: number, samples: Float64Array): number {
  const { data, width, height } = pixels;
  let count = 0;
  for (let i = 0; i < mask.length; i += step) {
    if (!mask[i]) continue;
    const x = i % width;
    const at = count++ * 5;
    samples[at] = x / width; samples[at + 1] = (i - x) / width / height;
    samples[at + 2] = data[i * 3]; samples[at + 3] = data[i * 3 + 1]; samples[at + 4] = data[i * 3 + 2];
  }
  return count;
}

/** The masked pixels' count, mean colour and mean squared distance from the fitted surface. */
function maskedStats(pixels: Pixels, mask: Uint8Array, surface: Float32Array): { count: number; mean: Rgb; meanSquare: number } {
  const { data } = pixels;
  let count = 0; let residualSum = 0; let r = 0; let g = 0; let b = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    count++;
    const o = i * 3;
    residualSum += rgbDistance(data[o], data[o + 1], data[o + 2], surface[o], surface[o + 1], surface[o + 2]) ** 2;
    r += data[o]; g += data[o + 1]; b += data[o + 2];
  }
  const mean: Rgb = count ? [r / count, g / count, b / count] : [0, 0, 0];
  return { count, mean, meanSquare: count ? residualSum / count : Infinity };
}

/** Mean colour of the masked pixels in a rectangle given in 0..1 of the picture; undefined under 10 pixels. */
function patchMean(pixels: Pixels, mask: Uint8Array, x0: number, x1: number, y0: number, y1: number): Rgb | undefined {
  const { data, width, height } = pixels;
  let r = 0; let g = 0; let b = 0; let n = 0;
  for (let y = Math.floor(y0 * height); y < Math.floor(y1 * height); y++) for (let x = Math.floor(x0 * width); x < Math.floor(x1 * width); x++) {
    const i = y * width + x;
    if (!mask[i]) continue;
    n++; r += data[i * 3]; g += data[i * 3 + 1]; b += data[i * 3 + 2];
  }
  return n < 10 ? undefined : [r / n, g / n, b / n];
}

/**
 * The background: pixels connected to the top and side edges (above the chin) whose colour is
 * close to a smooth colour surface fitted to them, grown in two passes so gradients are followed.
 *
 * Each per-pixel loop is a small function of its own, called from one place: the JIT then optimises
 * them one by one. Written inline (fill and renderFit called from three places each), this function
 * was compiled 8 times in a thread's first 40 photos at about 70 ms of compile time each.
 */
export function measureBackground(full: Pixels, face: Face | undefined): BackgroundAnalysis {
  const pixels = downscale(full);
  const { data, width, height } = pixels;
  const ratio = pixels.width / full.width;
  const floorY = face ? Math.min(height - 1, face.chinY * ratio) : height * 0.6;
  const seeds: number[] = [];
  for (let x = 0; x < width; x++) seeds.push(x);
  for (let y = 0; y <= floorY; y++) seeds.push(y * width, y * width + width - 1);
  const seedColours = seeds.map((i) => [data[i * 3], data[i * 3 + 1], data[i * 3 + 2]] as Rgb);
  const median = [0, 1, 2].map((c) => seedColours.map((s) => s[c]).sort((a, b) => a - b)[seedColours.length >> 1]) as Rgb;
  let fit: BackgroundFit = [[median[0], 0, 0, 0, 0, 0], [median[1], 0, 0, 0, 0, 0], [median[2], 0, 0, 0, 0, 0]];
  const threshold = 28;
  const mask = new Uint8Array(width * height);
  const stack = reuse('stack', width * height);
  const surface = reuse('surface', width * height * 3);
  const step = Math.max(1, Math.floor(width * height / 4000));
  const samples = reuse('samples', Math.ceil(mask.length / step) * 5);
  // Pass 0 grows from the seeds' median colour with a looser threshold; passes 1 and 2 refit the
  // surface to what was found and grow again.
  for (let pass = 0; pass < 3; pass++) {
    if (pass > 0) {
      const count = sampleMasked(pixels, mask, step, samples);
      if (count < 30) break;
      fit = fitSurface(samples, count);
    }
    renderFit(fit, width, height, surface);
    fill(pixels, surface, pass === 0 ? threshold * 1.6 : threshold, seeds, floorY, mask, stack);
  }

  const { count, mean, meanSquare } = maskedStats(pixels, mask, surface);
  const dist = (p: Rgb, q: Rgb) => rgbDistance(p[0], p[1], p[2], q[0], q[1], q[2]);
  const gradientX = dist(evalFit(fit, 0, 0.3), evalFit(fit, 1, 0.3));
  const gradientY = dist(evalFit(fit, 0.5, 0), evalFit(fit, 0.5, 0.6));
  // Mean observed colour of background pixels in four patches: corners at the top, sides at mid height.
  const midY = Math.min(0.6, floorY / height);
  const patches = [[0, 0.15, 0, 0.15], [0.85, 1, 0, 0.15], [0, 0.12, midY - 0.15, midY], [0.88, 1, midY - 0.15, midY]]
    .map(([x0, x1, y0, y1]) => patchMean(pixels, mask, x0, x1, y0, y1))
    .filter((p): p is Rgb => p !== undefined);
  const patchSpread = Math.max(0, ...patches.map((p) => dist(p, mean)));
  return {
    // A photo a few pixels high (20000x4) scales to no pixels at all here: no background, not NaN.
    mask, width, height, share: mask.length > 0 ? count / mask.length : 0, mean, fit,
    residual: Math.sqrt(meanSquare),
    gradientX, gradientY, patches, patchSpread, threshold,
  };
}

export const backgroundAnalysis = defineAnalysis<BackgroundAnalysis>('background', async (photo: Photo) => {
  const face = (await faces(photo)).main;
  return measureBackground(photo.pixels, face);
});

export const background = (photo: Photo): Promise<BackgroundAnalysis> => analyse(photo, backgroundAnalysis);
