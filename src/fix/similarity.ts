/**
 * How alike two encodes of one picture are: mean SSIM of the luma (Rec. 601 Y, JPEG's own Y) over 8x8 windows
 * every 4 pixels, so that windows straddle the JPEG blocks' edges and see blocking, with Wang et al.'s (2004)
 * constants. A quick judge between candidate encodes (about a trellis encode's fifth); bench:fit measures the
 * result with the standard 11x11 Gaussian window instead (bench/ssim.ts).
 */

/** Rec. 601 Y of interleaved 8-bit RGB. */
export function lumaPlane(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length / 3);
  for (let i = 0, o = 0; i < out.length; i++, o += 3) out[i] = 0.299 * rgb[o] + 0.587 * rgb[o + 1] + 0.114 * rgb[o + 2];
  return out;
}

const WINDOW = 8;
const STRIDE = 4;

/** Mean SSIM of two luma planes of width x height (lumaPlane); 1 when they are equal. */
export function windowSsim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const n = WINDOW * WINDOW;
  let total = 0;
  let count = 0;
  for (let y = 0; y + WINDOW <= height; y += STRIDE) {
    for (let x = 0; x + WINDOW <= width; x += STRIDE) {
      let sa = 0; let sb = 0; let saa = 0; let sbb = 0; let sab = 0;
      for (let j = 0; j < WINDOW; j++) {
        for (let i = 0, k = (y + j) * width + x; i < WINDOW; i++, k++) {
          const va = a[k]; const vb = b[k];
          sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
        }
      }
      const ma = sa / n; const mb = sb / n;
      const varA = saa / n - ma * ma; const varB = sbb / n - mb * mb; const cov = sab / n - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (varA + varB + c2));
      count++;
    }
  }
  return total / count;
}
