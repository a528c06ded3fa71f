import { luma } from '../analysis/colour.js';
import { STD_CHROMA, STD_LUMA, standardTable } from '../formats/jpeg-quality.js';
import type { RawImage } from './encode.js';

/** mozjpeg's quantisation tables 2, tuned for MS-SSIM on the Kodak set (natural order; read from a sharp quantisationTable: 2, quality 50 file). */
const MSSIM_LUMA = [
  12, 17, 20, 21, 30, 34, 56, 63, 18, 20, 20, 26, 28, 51, 61, 55,
  19, 20, 21, 26, 33, 58, 69, 55, 26, 26, 26, 30, 46, 87, 86, 66,
  31, 33, 36, 40, 46, 96, 100, 73, 40, 35, 46, 62, 81, 100, 111, 91,
  46, 66, 76, 86, 102, 121, 120, 101, 68, 90, 90, 96, 113, 102, 105, 103,
];
const MSSIM_CHROMA = [
  8, 12, 15, 15, 86, 96, 96, 98, 13, 13, 15, 26, 90, 96, 99, 98,
  12, 15, 18, 96, 99, 99, 99, 99, 17, 16, 90, 96, 99, 99, 99, 99,
  96, 96, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/**
 * A predictor of baseline JPEG size at any quality, from the picture's own DCT coefficients: quantise
 * a sample of its blocks with the tables a quality would use and count the bits a Huffman coder
 * spends on them. One real encode calibrates the scale; the curve's shape comes from the picture,
 * so it follows what a global model cannot (recompressed photos, flat backgrounds, noise).
 */
export class SizeModel {
  private readonly luma: Float32Array;
  private readonly chroma: Float32Array;
  private readonly cache = new Map<number, number>();

  /** `every`: one 16x16 macroblock in this many is sampled (staggered by row). */
  constructor(image: RawImage, every = 6) {
    const { width, data } = image;
    const blocksX = Math.floor(width / 16);
    const blocksY = Math.floor(image.height / 16);
    const take = (mx: number, my: number) => (mx + 3 * my) % every === 0;
    let macroblocks = 0;
    for (let my = 0; my < blocksY; my++) for (let mx = 0; mx < blocksX; mx++) if (take(mx, my)) macroblocks++;
    this.luma = new Float32Array(macroblocks * 4 * 64);
    this.chroma = new Float32Array(macroblocks * 2 * 64);
    const cos = new Float32Array(64);
    for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) cos[x * 8 + u] = (Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1)) / 2;
    const tmp = new Float32Array(64);
    const dct = (block: Float32Array, out: Float32Array, at: number) => {
      for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
        let sum = 0; for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * cos[x * 8 + u];
        tmp[y * 8 + u] = sum;
      }
      for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) {
        let sum = 0; for (let y = 0; y < 8; y++) sum += tmp[y * 8 + u] * cos[y * 8 + v];
        out[at + v * 8 + u] = sum;
      }
    };
    const y8 = new Float32Array(64); const cb8 = new Float32Array(64); const cr8 = new Float32Array(64);
    let lumaAt = 0; let chromaAt = 0;
    // A 16x16 macroblock holds four luma blocks and one block of each chroma channel (4:2:0).
    for (let my = 0; my < blocksY; my++) for (let mx = 0; mx < blocksX; mx++) {
      if (!take(mx, my)) continue;
      for (let by = 0; by < 2; by++) for (let bx = 0; bx < 2; bx++) {
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
          const o = ((my * 16 + by * 8 + y) * width + mx * 16 + bx * 8 + x) * 3;
          y8[y * 8 + x] = luma(data, o) - 128;
        }
        dct(y8, this.luma, lumaAt); lumaAt += 64;
      }
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
        let cb = 0; let cr = 0;
        for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
          const o = ((my * 16 + y * 2 + dy) * width + mx * 16 + x * 2 + dx) * 3;
          cb += -0.168736 * data[o] - 0.331264 * data[o + 1] + 0.5 * data[o + 2];
          cr += 0.5 * data[o] - 0.418688 * data[o + 1] - 0.081312 * data[o + 2];
        }
        cb8[y * 8 + x] = cb / 4; cr8[y * 8 + x] = cr / 4;
      }
      dct(cb8, this.chroma, chromaAt); dct(cr8, this.chroma, chromaAt + 64); chromaAt += 128;
    }
  }

  /**
   * Per coefficient position, how many sampled coefficients have each magnitude (quarter-octave bins
   * of log2 |c|): bits at any quality then cost 64 x bins operations, not one per coefficient.
   */
  private histograms?: { luma: Float64Array; chroma: Float64Array; blocks: number };

  private static readonly BINS = 64;

  private histogram(coefficients: Float32Array): Float64Array {
    const bins = SizeModel.BINS;
    const out = new Float64Array(64 * bins);
    for (let i = 0; i < coefficients.length; i++) {
      const magnitude = Math.abs(coefficients[i]);
      if (magnitude < 0.5) continue;
      const bin = Math.min(bins - 1, Math.floor(4 * Math.log2(magnitude)) + 4);
      out[(i & 63) * bins + Math.max(0, bin)]++;
    }
    return out;
  }

  /**
   * The quality of the standard tables this picture was last JPEG-encoded with, on this very 8x8 grid, if it was
   * (a 480x640 JPEG decoded and nothing moved since): then its luma coefficients sit on multiples of that
   * quality's steps, give or take the decoder's rounding. Only steps of 4 and more are read (rounding stays
   * under a tenth of them) and only coefficients that were not quantised to zero. Measured on the corpus:
   * the true quality scores 0.82–0.96 of coefficients within 0.15 of a multiple; any other quality, or a
   * picture resampled or cropped off the grid, 0.28–0.49.
   */
  gridQuality(minQuality: number): number | undefined {
    // Coefficients under 2 are under half of any step read: left out once, not at every quality; and a few
    // thousand are plenty to tell 0.7 from 0.5.
    let large = 0;
    for (let i = 0; i < this.luma.length; i++) if (Math.abs(this.luma[i]) >= 2) large++;
    const every = Math.max(1, Math.ceil(large / 4096));
    const values = new Float32Array(Math.ceil(large / every)); const positions = new Uint8Array(values.length);
    let kept = 0;
    for (let i = 0, seen = 0; i < this.luma.length; i++) {
      if (Math.abs(this.luma[i]) < 2 || seen++ % every !== 0) continue;
      values[kept] = this.luma[i]; positions[kept++] = i & 63;
    }
    let best = { quality: 0, score: 0.7 };
    for (let quality = minQuality; quality <= 100; quality++) {
      const steps = standardTable(STD_LUMA, quality, true);
      let near = 0; let counted = 0;
      for (let i = 0; i < kept; i++) {
        const step = steps[positions[i]];
        if (step < 4) continue;
        const level = values[i] / step;
        if (Math.abs(level) < 0.5) continue;
        counted++;
        if (Math.abs(level - Math.round(level)) < 0.15) near++;
      }
      // A few hundred coefficients at least: a nearly flat picture says nothing.
      if (counted >= 200 && near / counted > best.score) best = { quality, score: near / counted };
    }
    return best.quality || undefined;
  }

  /** Estimated entropy-coded bits of the sampled blocks at this quality (relative units), with these tables (JpegOptions.tables). */
  bits(quality: number, tables: 0 | 2 = 0): number {
    const key = tables * 1000 + quality;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    this.histograms ??= { luma: this.histogram(this.luma), chroma: this.histogram(this.chroma), blocks: (this.luma.length + this.chroma.length) / 64 };
    const bins = SizeModel.BINS;
    const cost = (histogram: Float64Array, table: readonly number[]) => {
      let bits = 0;
      for (let k = 0; k < 64; k++) {
        const step = Math.log2(table[k]);
        for (let b = 0; b < bins; b++) {
          const count = histogram[k * bins + b];
          if (count === 0) continue;
          // log2 of the quantised level; a level rounds to zero below 0.5.
          const level = (b - 4 + 0.5) / 4 - step;
          if (level < -1) continue;
          bits += count * (Math.max(1, level + 1) + 3.5);
        }
      }
      return bits;
    };
    const h = this.histograms;
    const [lumaTable, chromaTable] = tables === 2 ? [MSSIM_LUMA, MSSIM_CHROMA] : [STD_LUMA, STD_CHROMA];
    const total = cost(h.luma, standardTable(lumaTable, quality, true)) + cost(h.chroma, standardTable(chromaTable, quality, true)) + 2 * h.blocks;
    this.cache.set(key, total);
    return total;
  }
}
