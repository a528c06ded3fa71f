/**
 * How alike two encodes of one picture are: mean SSIM of the luma (Rec. 601 Y, JPEG's own Y) over 8x8 windows
 * every 4 pixels, so that windows straddle the JPEG blocks' edges and see blocking, with Wang et al.'s (2004)
 * constants. A quick judge between candidate encodes (about a trellis encode's fifth); bench:fit measures the
 * result with the standard 11x11 Gaussian window instead (bench/ssim.ts).
 */

import { luma } from '../analysis/colour.js';

/** Rec. 601 Y of interleaved 8-bit RGB (colour.ts's luma at every pixel). */
export function lumaPlane(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let i = 0, o = 0; i < out.length; i++, o += 3) out[i] = luma(rgb, o);
  return out;
}

const CELL = 4;

/**
 * Mean SSIM of two luma planes of width x height (lumaPlane); 1 when they are equal. The sums of each 4x4 cell are
 * made once and every 8x8 window adds four of them: the same figure as summing each window's 64 pixels, in a
 * fifth of the time.
 */
export function windowSsim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const cellsX = Math.floor(width / CELL);
  const cellsY = Math.floor(height / CELL);
  // Per cell: the sums of a, b, a², b² and ab.
  const sums = new Float64Array(cellsX * cellsY * 5);
  for (let y = 0; y < cellsY * CELL; y++) {
    let o = ((y / CELL) | 0) * cellsX * 5;
    for (let cx = 0, k = y * width; cx < cellsX; cx++, o += 5) {
      let sa = 0; let sb = 0; let saa = 0; let sbb = 0; let sab = 0;
      for (const end = k + CELL; k < end; k++) {
        const va = a[k]; const vb = b[k];
        sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
      }
      sums[o] += sa; sums[o + 1] += sb; sums[o + 2] += saa; sums[o + 3] += sbb; sums[o + 4] += sab;
    }
  }
  const n = 4 * CELL * CELL;
  let total = 0;
  let count = 0;
  for (let cy = 0; cy + 1 < cellsY; cy++) {
    for (let cx = 0; cx + 1 < cellsX; cx++) {
      // The window's four cells: (cx, cy), its right, below and below-right neighbours.
      const p = (cy * cellsX + cx) * 5; const q = p + 5; const r = p + cellsX * 5; const t = r + 5;
      const sa = sums[p] + sums[q] + sums[r] + sums[t];
      const sb = sums[p + 1] + sums[q + 1] + sums[r + 1] + sums[t + 1];
      const saa = sums[p + 2] + sums[q + 2] + sums[r + 2] + sums[t + 2];
      const sbb = sums[p + 3] + sums[q + 3] + sums[r + 3] + sums[t + 3];
      const sab = sums[p + 4] + sums[q + 4] + sums[r + 4] + sums[t + 4];
      const ma = sa / n; const mb = sb / n;
      const varA = saa / n - ma * ma; const varB = sbb / n - mb * mb; const cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (varA + varB + c2));
      count++;
    }
  }
  return total / count;
}
