import { platform } from '../platform/index.js';
import { lumaPlane, windowSsim } from './similarity.js';
import { SizeModel } from './size-model.js';

/** Raw upright 8-bit RGB pixels, ready to encode. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

export interface FitWindow {
  minBytes: number;
  maxBytes: number;
  minQuality: number;
  /** Pixels per inch written into the JFIF header. */
  density: number;
}

export interface FitResult {
  jpeg: Buffer;
  quality: number;
  encodes: number;
  /**
   * 'exact': quality q fits and q+1 was encoded and does not; 'model': q+1 predicted not to fit; 'grid': the
   * picture's own JPEG quality on its grid (fitToWindow), whatever fits above it.
   */
  proof: 'exact' | 'model' | 'top' | 'grid';
  /** Encoder settings used (SETTINGS): 'standard' is plain libjpeg (a picture's own grid quality, a very plain picture's 4:4:4, an unchanged photo). */
  settings: 'standard' | 'trellis' | 'mssimTables';
}

export class FitError extends Error {
  /** `encodes`: how many were made before giving up. */
  constructor(readonly reason: 'tooDetailed' | 'tooPlain', readonly bytes: number, readonly encodes = 0) {
    super(reason);
  }
}

/**
 * Encoder settings for the window search, all baseline, 4:2:0 (ENCODE.md: 4:4:4 was worse at this budget on every
 * master), Huffman-optimised, with mozjpeg's trellis quantisation, which picks each block's coefficients for size
 * and error together: at the same bytes its luma SSIM was at least ImageMagick's extent search's on 50 of 54
 * masters where plain libjpeg's was on 33 (bench:fit, issue 19), at about four times an encode's cost.
 * 'trellis' keeps the JPEG standard's tables; 'mssimTables' has mozjpeg's tables tuned for MS-SSIM (about 6%
 * smaller at the same quality). Neither wins on every picture, so both are searched and the better kept
 * (fitToWindow). image.jpeg-quality reads either at the quality it was made at (mozjpeg's table 3, once the
 * fallback here, was read 7 below it).
 * `scale`: file bytes per model bit, the search's first guess (each encode recalibrates it): the median over 110
 * corpus photos at the quality nearest 40000 B (p10–p90: trellis 0.60–0.66, mssimTables 0.59–0.65).
 */
const SETTINGS = {
  trellis: { trellis: true, tables: 0, scale: 0.621 },
  mssimTables: { trellis: true, tables: 2, scale: 0.616 },
} as const;
type SearchSettings = keyof typeof SETTINGS;

function encode(image: RawImage, quality: number, settings: SearchSettings, density: number): Promise<Buffer> {
  const { trellis, tables } = SETTINGS[settings];
  return platform.encodeJpeg(image, { quality, chroma: '4:2:0', density, trellis, tables });
}

/** Bytes a file spends outside the entropy-coded data (JFIF header, tables, frame and scan headers): 354–362 measured. */
const OVERHEAD = 360;

/**
 * The highest quality whose file fits the byte window, in few encodes. A size model built from the
 * picture's own DCT coefficients predicts the size at every quality; the first encode goes where it
 * points, and every encode recalibrates it. Stops when quality q fits and q+1 either was encoded
 * and does not fit, or is predicted to overshoot the cap by a clear margin.
 */
async function search(image: RawImage, window: FitWindow, settings: SearchSettings, model: SizeModel): Promise<FitResult> {
  const encoded = new Map<number, Buffer>();
  let encodes = 0;
  const at = async (q: number) => {
    let jpeg = encoded.get(q);
    if (!jpeg) {
      jpeg = await encode(image, q, settings, window.density);
      encoded.set(q, jpeg);
      encodes++;
      if (platform.env('GRADPHOTO_DEBUG_FIT')) console.error(`${settings} q${q}: ${jpeg.length}`);
    }
    return jpeg.length;
  };
  const cap = window.maxBytes;
  let lo = window.minQuality - 1; // highest quality known to fit
  let hi = 101; // lowest quality known not to fit
  const { tables } = SETTINGS[settings];
  let scale: number = SETTINGS[settings].scale;
  let nearest = -1;
  const predict = (q: number) => {
    // Once a fitting and an overshooting quality are both encoded, interpolate between them (log size against
    // log model bits): trellis quantisation bends the curve away from the model's in slope, not only in scale.
    const below = encoded.get(lo);
    const above = encoded.get(hi);
    if (below && above) {
      const [x0, x1] = [Math.log(model.bits(lo, tables)), Math.log(model.bits(hi, tables))];
      const [y0, y1] = [Math.log(below.length - OVERHEAD), Math.log(above.length - OVERHEAD)];
      if (x1 > x0) return OVERHEAD + Math.exp(y0 + ((Math.log(model.bits(q, tables)) - x0) / (x1 - x0)) * (y1 - y0));
    }
    return OVERHEAD + scale * model.bits(q, tables);
  };
  // Highest quality in (from, to) predicted to fit with this much slack; sizes rise with quality, so bisect.
  const highestPredicted = (from: number, to: number, slack: number) => {
    let low = from; let high = to;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (predict(mid) <= cap * (1 - slack)) low = mid; else high = mid;
    }
    return low;
  };
  for (let round = 0; round < 10; round++) {
    let q = highestPredicted(lo, hi, nearest < 0 ? 0.005 : 0.002);
    if (q === lo) {
      if (hi === lo + 1 || lo === 100) break;
      // The model says nothing above lo fits: trust it when it says so by a clear margin.
      if (lo >= window.minQuality && predict(lo + 1) > cap * 1.01) return finish(lo, 'model');
      q = lo + 1;
    }
    if (q < window.minQuality) q = window.minQuality;
    if (encoded.has(q)) break;
    const bytes = await at(q);
    // Recalibrate on the encode nearest the cap: the model's curve is right in shape, its scale drifts slowly.
    if (nearest < 0 || Math.abs(Math.log(bytes / cap)) <= Math.abs(Math.log(encoded.get(nearest)!.length / cap))) {
      nearest = q;
      scale = Math.max(1e-6, (bytes - OVERHEAD) / model.bits(q, tables));
    }
    if (bytes <= cap) lo = Math.max(lo, q); else hi = Math.min(hi, q);
    if (hi <= window.minQuality) break;
  }
  function finish(quality: number, proof: FitResult['proof']): FitResult {
    return { jpeg: encoded.get(quality)!, quality, encodes, proof, settings };
  }
  if (lo < window.minQuality || !encoded.has(lo)) throw new FitError('tooDetailed', encoded.get(window.minQuality)?.length ?? encoded.get(hi)?.length ?? 0, encodes);
  return finish(lo, lo === 100 ? 'top' : 'exact');
}

/** The fit that keeps the picture's luma best (similarity.ts), each decoded as a viewer would. */
async function mostAlike(image: RawImage, fits: FitResult[]): Promise<FitResult> {
  if (fits.length === 1) return fits[0];
  const limits = { maxPixels: image.width * image.height, seconds: 10 };
  const original = lumaPlane(image.data);
  const decoded = await Promise.all(fits.map(async (fit) => lumaPlane((await platform.decodeRgb(fit.jpeg, undefined, limits)).data)));
  const scores = decoded.map((luma) => windowSsim(original, luma, image.width, image.height));
  return fits[scores.indexOf(Math.max(...scores))];
}

/**
 * Encode a baseline JPEG that lands in [minBytes, maxBytes] at the highest quality it can, never below
 * minQuality, and keep of the fits in the window the one most like the picture:
 *  - both table sets, each searched to its highest quality (at once: two encodes in flight use two cores);
 *    choosing between them gave SSIM at least ImageMagick's on 51 of 54 masters and 51 of 58 wild photos,
 *    against 50 and 48 with the standard tables alone (bench:fit, files still carrying 688 bytes of metadata);
 *  - a picture that is a decoded JPEG on its own 8x8 grid (SizeModel.gridQuality: a 480x640 JPEG whose file
 *    needed fixing but not its pixels) also once more at its own quality with plain libjpeg, which finds its
 *    coefficients again nearly unchanged: a quality or two higher re-quantises them and loses more than
 *    the extra bytes bring (the fixture example, q86: SSIM 0.9999 at q86, 0.9983 at q88).
 * With both and the 18-byte JFIF header (platform/jfif.ts): 53 of 54 masters (the last refused as too detailed)
 * and 56 of 58 wild photos, at about 3x ImageMagick's search time (bench:fit, 2026-11-30).
 */
export async function fitToWindow(image: RawImage, window: FitWindow): Promise<FitResult> {
  const model = new SizeModel(image);
  const gridQuality = model.gridQuality(window.minQuality);
  const regrid = async (quality: number): Promise<FitResult | FitError> => {
    const jpeg = await platform.encodeJpeg(image, { quality, chroma: '4:2:0', trellis: false, tables: 0, density: window.density });
    return jpeg.length <= window.maxBytes ? { jpeg, quality, encodes: 1, proof: 'grid', settings: 'standard' } : new FitError('tooDetailed', jpeg.length, 1);
  };
  const found = await Promise.all([
    ...(Object.keys(SETTINGS) as SearchSettings[]).map((settings) => search(image, window, settings, model).catch((error: unknown) => {
      if (error instanceof FitError) return error;
      throw error;
    })),
    ...(gridQuality ? [regrid(gridQuality)] : []),
  ]);
  const encodes = found.reduce((sum, fit) => sum + fit.encodes, 0);
  const fits = found.filter((fit): fit is FitResult => !(fit instanceof FitError));
  // Even minQuality is too large with both table sets: report the smaller file.
  if (fits.length === 0) throw found.reduce((a, b) => ((b as FitError).bytes < (a as FitError).bytes ? b : a));
  const inWindow = fits.filter((fit) => fit.jpeg.length >= window.minBytes);
  if (inWindow.length > 0) return { ...await mostAlike(image, inWindow), encodes };
  // Even the best quality is under the window: a very plain picture. 4:4:4 chroma adds bytes honestly.
  const largest = Math.max(...fits.map((fit) => fit.jpeg.length));
  const richer = await platform.encodeJpeg(image, { quality: 100, chroma: '4:4:4', trellis: false, tables: 0, density: window.density });
  if (richer.length >= window.minBytes && richer.length <= window.maxBytes) {
    return { jpeg: richer, quality: 100, encodes: encodes + 1, proof: 'top', settings: 'standard' };
  }
  throw new FitError('tooPlain', largest, encodes + 1);
}
