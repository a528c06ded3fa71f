/**
 * SSIM of two pictures' luma, as Wang, Bovik, Sheikh and Simoncelli (2004) define it and their reference
 * ssim_index.m computes it: an 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, the mean
 * of the SSIM map over the positions where the window fits wholly inside the picture ('valid'). Luma is
 * Rec. 601 Y (JPEG's own Y) from 8-bit RGB, unrounded. No downsampling: both pictures are the same size.
 */

import { luma } from '../src/analysis/colour.js';

/** Rec. 601 Y of interleaved 8-bit RGB (3 channels a pixel): colour.ts's luma at every pixel, in doubles. */
export function lumaOf(rgb: Uint8Array): Float64Array {
  const out = new Float64Array(rgb.length / 3);
  for (let i = 0, o = 0; i < out.length; i++, o += 3) out[i] = luma(rgb, o);
  return out;
}

const RADIUS = 5;
const WEIGHTS = (() => {
  const w = Array.from({ length: 2 * RADIUS + 1 }, (_, i) => Math.exp(-((i - RADIUS) ** 2) / (2 * 1.5 * 1.5)));
  const sum = w.reduce((a, b) => a + b, 0);
  return Float64Array.from(w, (v) => v / sum);
})();

/** Mean SSIM of two luma planes of width x height (lumaOf). 1 when they are equal. */
export function ssim(a: Float64Array, b: Float64Array, width: number, height: number): number {
  if (a.length !== width * height || b.length !== width * height) throw new Error('ssim: planes of different sizes');
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const span = 2 * RADIUS + 1;
  const outWidth = width - 2 * RADIUS;
  // Horizontal pass: the five local moments (a, b, a², b², ab) of every row, 'valid' columns only.
  const rows = Array.from({ length: 5 }, () => new Float64Array(outWidth * height));
  const [ha, hb, haa, hbb, hab] = rows;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sa = 0; let sb = 0; let saa = 0; let sbb = 0; let sab = 0;
      for (let k = 0, i = y * width + x; k < span; k++, i++) {
        const w = WEIGHTS[k]; const va = a[i]; const vb = b[i];
        sa += w * va; sb += w * vb; saa += w * va * va; sbb += w * vb * vb; sab += w * va * vb;
      }
      const o = y * outWidth + x;
      ha[o] = sa; hb[o] = sb; haa[o] = saa; hbb[o] = sbb; hab[o] = sab;
    }
  }
  // Vertical pass ('valid' rows only) and the SSIM map's mean.
  let total = 0;
  const outHeight = height - 2 * RADIUS;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let ma = 0; let mb = 0; let saa = 0; let sbb = 0; let sab = 0;
      for (let k = 0, i = y * outWidth + x; k < span; k++, i += outWidth) {
        const w = WEIGHTS[k];
        ma += w * ha[i]; mb += w * hb[i]; saa += w * haa[i]; sbb += w * hbb[i]; sab += w * hab[i];
      }
      const va = saa - ma * ma; const vb = sbb - mb * mb; const cov = sab - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
    }
  }
  return total / (outWidth * outHeight);
}
