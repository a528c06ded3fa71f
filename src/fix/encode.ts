import sharp from 'sharp';

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
  /** 'exact': quality q fits and q+1 was encoded and does not; 'model': q+1 predicted not to fit. */
  proof: 'exact' | 'model' | 'top';
  /** Encoder settings used: 'standard' (libjpeg tables) or 'trellis' (mozjpeg trellis, baseline). */
  settings: 'standard' | 'trellis';
}

export class FitError extends Error {
  constructor(readonly reason: 'tooDetailed' | 'tooPlain', readonly bytes: number) {
    super(reason);
  }
}

const SETTINGS = {
  // Baseline, 4:2:0, Huffman optimisation: what ENCODE.md measured as the best at this budget per ms.
  standard: { progressive: false, chromaSubsampling: '4:2:0', optimiseCoding: true },
  // mozjpeg's trellis quantisation, kept baseline: about 18% smaller at the same quality. Slower; a fallback.
  trellis: { progressive: false, chromaSubsampling: '4:2:0', optimiseCoding: true, trellisQuantisation: true, overshootDeringing: true, quantisationTable: 3 },
} as const;

async function encode(image: RawImage, quality: number, settings: keyof typeof SETTINGS, density: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality, ...SETTINGS[settings] })
    .withMetadata({ density })
    .toBuffer();
}

/** libjpeg's quality scaling: log(size) is close to linear in ln(scale + 1) (ENCODE.md). */
const X = (q: number) => Math.log((q < 50 ? 5000 / q : 200 - 2 * q) + 1);
const PRIOR_SLOPE = -0.63;

/**
 * The highest quality whose file fits the byte window, in few encodes: probe once, predict the best
 * quality from a log-size model, then confirm; the model's slope is refitted from every encode.
 * Stops as soon as quality q fits and q+1 is known (or confidently predicted) not to.
 */
async function search(image: RawImage, window: FitWindow, settings: keyof typeof SETTINGS): Promise<FitResult> {
  const sizes = new Map<number, Buffer>();
  let encodes = 0;
  const at = async (q: number) => {
    let jpeg = sizes.get(q);
    if (!jpeg) { jpeg = await encode(image, q, settings, window.density); sizes.set(q, jpeg); encodes++; if (process.env.GRADPHOTO_DEBUG_FIT) console.error(`q${q}: ${jpeg.length}`); }
    return jpeg.length;
  };
  const target = Math.log(window.maxBytes);
  const fits = (bytes: number) => bytes <= window.maxBytes;
  let lo = window.minQuality - 1; // highest q known to fit (minQuality - 1 = none yet)
  let hi = 101; // lowest q known not to fit
  let q = settings === 'standard' ? 86 : 88;
  const points: [number, number][] = [];
  const predict = (): number => {
    // Slope from the two most recent points when they differ, else the prior.
    let slope = PRIOR_SLOPE;
    if (points.length >= 2) {
      const [[x1, y1], [x2, y2]] = points.slice(-2);
      if (Math.abs(x1 - x2) > 1e-6) slope = Math.min(-0.2, Math.max(-1.5, (y1 - y2) / (x1 - x2)));
    }
    const [x0, y0] = points[points.length - 1];
    // Highest q whose predicted log size stays under the cap, with a little margin for model error.
    let best = lo;
    for (let candidate = Math.max(lo + 1, window.minQuality); candidate < hi; candidate++) {
      if (y0 + slope * (X(candidate) - x0) <= target - 0.004) best = candidate;
    }
    return best;
  };
  for (let round = 0; round < 12; round++) {
    const bytes = await at(q);
    points.push([X(q), Math.log(bytes)]);
    if (fits(bytes)) lo = Math.max(lo, q); else hi = Math.min(hi, q);
    if (hi === lo + 1) break;
    if (lo === 100) break;
    if (lo >= window.minQuality && points.length >= 2) {
      // Exit rule: the refitted model says the next quality up would not fit, by a clear margin.
      const next = predict();
      if (next === lo && hi > lo + 1) {
        const [[x1, y1], [x2, y2]] = points.slice(-2);
        const slope = Math.abs(x1 - x2) > 1e-6 ? (y1 - y2) / (x1 - x2) : PRIOR_SLOPE;
        const predictedNext = Math.log(sizes.get(lo)!.length) + slope * (X(lo + 1) - X(lo));
        if (predictedNext > target + 0.01) return finish(lo, 'model');
      }
    }
    let next = predict();
    if (next <= lo || next >= hi) next = hi - lo > 2 ? Math.floor((lo + hi) / 2) : lo + 1;
    if (lo < window.minQuality && next < window.minQuality) next = window.minQuality;
    if (sizes.has(next)) next = sizes.has(lo + 1) ? Math.floor((lo + hi) / 2) : lo + 1;
    if (next < window.minQuality || next > 100) break;
    q = next;
  }
  function finish(quality: number, proof: FitResult['proof']): FitResult {
    return { jpeg: sizes.get(quality)!, quality, encodes, proof, settings };
  }
  if (lo < window.minQuality) throw new FitError('tooDetailed', sizes.get(window.minQuality)?.length ?? 0);
  return finish(lo, lo === 100 ? 'top' : 'exact');
}

/**
 * Encode a baseline JPEG that lands in [minBytes, maxBytes] at the highest quality it can, never
 * below minQuality. Falls back to trellis quantisation when even minQuality is too large.
 */
export async function fitToWindow(image: RawImage, window: FitWindow): Promise<FitResult> {
  let result: FitResult;
  try {
    result = await search(image, window, 'standard');
  } catch (error) {
    if (!(error instanceof FitError)) throw error;
    result = await search(image, window, 'trellis');
  }
  if (result.jpeg.length < window.minBytes) {
    // Even the best quality is under the window: a very plain picture. 4:4:4 chroma adds bytes honestly.
    const richer = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .jpeg({ quality: 100, progressive: false, chromaSubsampling: '4:4:4', optimiseCoding: true })
      .withMetadata({ density: window.density }).toBuffer();
    if (richer.length >= window.minBytes && richer.length <= window.maxBytes) {
      return { jpeg: richer, quality: 100, encodes: result.encodes + 1, proof: 'top', settings: 'standard' };
    }
    throw new FitError('tooPlain', result.jpeg.length);
  }
  return result;
}
