/** Colour science helpers: sRGB -> CIELAB (D65) and the CIEDE2000 difference. */

export type Rgb = [number, number, number];
export type Lab = [number, number, number];

// sRGB decoding for every 8-bit value, computed once: rgbToLab runs per pixel in some measurements.
const LINEAR = Float64Array.from({ length: 256 }, (_, c) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});
const linear = (c: number) => (Number.isInteger(c) && c >= 0 && c <= 255 ? LINEAR[c] : (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));

export function rgbToLab([r, g, b]: Rgb): Lab {
  const R = linear(r); const G = linear(g); const B = linear(b);
  const x = (R * 0.4124 + G * 0.3576 + B * 0.1805) / 0.95047;
  const y = R * 0.2126 + G * 0.7152 + B * 0.0722;
  const z = (R * 0.0193 + G * 0.1192 + B * 0.9505) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(x); const fy = f(y); const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Rec. 601 luma (as JPEG's Y) of the RGB pixel starting at data[o]. */
export const luma = (data: Uint8Array, o: number): number => 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];

/** CIELAB L* of an 8-bit sRGB pixel: rgbToLab(...)[0] without building arrays, for per-pixel loops. */
export function lightness(r: number, g: number, b: number): number {
  const y = LINEAR[r] * 0.2126 + LINEAR[g] * 0.7152 + LINEAR[b] * 0.0722;
  return 116 * (y > 216 / 24389 ? Math.cbrt(y) : (24389 / 27 * y + 16) / 116) - 16;
}

/** CIEDE2000 colour difference (Sharma, Wu & Dalal 2005). */
export function deltaE2000(a: Lab, b: Lab): number {
  const [L1, a1, b1] = a; const [L2, a2, b2] = b;
  const rad = Math.PI / 180;
  const C1 = Math.hypot(a1, b1); const C2 = Math.hypot(a2, b2);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1; const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1); const C2p = Math.hypot(a2p, b2);
  const hue = (x: number, y: number) => { if (x === 0 && y === 0) return 0; const h = Math.atan2(y, x) / rad; return h < 0 ? h + 360 : h; };
  const h1p = hue(a1p, b1); const h2p = hue(a2p, b2);
  const dLp = L2 - L1; const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) { dhp = h2p - h1p; if (dhp > 180) dhp -= 360; else if (dhp < -180) dhp += 360; }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const Lpm = (L1 + L2) / 2; const Cpm = (C1p + C2p) / 2;
  let hpm = h1p + h2p;
  if (C1p * C2p !== 0) { hpm = Math.abs(h1p - h2p) > 180 ? (h1p + h2p + (h1p + h2p < 360 ? 360 : -360)) / 2 : (h1p + h2p) / 2; }
  const T = 1 - 0.17 * Math.cos((hpm - 30) * rad) + 0.24 * Math.cos(2 * hpm * rad) + 0.32 * Math.cos((3 * hpm + 6) * rad) - 0.2 * Math.cos((4 * hpm - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hpm - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cpm ** 7 / (Cpm ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lpm - 50) ** 2) / Math.sqrt(20 + (Lpm - 50) ** 2);
  const Sc = 1 + 0.045 * Cpm; const Sh = 1 + 0.015 * Cpm * T;
  const Rt = -Math.sin(2 * dTheta * rad) * Rc;
  return Math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh));
}

/** Rough perceptual distance in RGB ("redmean"), cheap enough for per-pixel loops. Scaled to about 0–255. */
export function rgbDistance(r1: number, g1: number, b1: number, r2: number, g2: number, b2: number): number {
  return Math.sqrt(rgbDistanceSquared9(r1, g1, b1, r2, g2, b2)) / 3;
}

/** (3 × rgbDistance)²: the weighted sum under the square root, for per-pixel loops that compare squares. */
export function rgbDistanceSquared9(r1: number, g1: number, b1: number, r2: number, g2: number, b2: number): number {
  const rMean = (r1 + r2) / 2;
  const dr = r1 - r2; const dg = g1 - g2; const db = b1 - b2;
  return (2 + rMean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rMean) / 256) * db * db;
}

/** A plain-words name for a colour, for messages: white, grey, black, red, blue... and how light. */
export function colourName([r, g, b]: Rgb): { hue: string; lightness: 'dark' | 'normal' | 'light' } {
  const max = Math.max(r, g, b); const min = Math.min(r, g, b);
  const value = max / 255;
  const saturation = max === 0 ? 0 : (max - min) / max;
  const lightness = value < 0.45 ? 'dark' : value > 0.85 && saturation < 0.5 ? 'light' : 'normal';
  if (saturation < 0.15) return { hue: value > 0.88 ? 'white' : value < 0.2 ? 'black' : 'grey', lightness };
  let h = 0;
  const d = max - min;
  if (max === r) h = ((g - b) / d) % 6; else if (max === g) h = (b - r) / d + 2; else h = (r - g) / d + 4;
  h = (h * 60 + 360) % 360;
  const hue = h < 15 || h >= 340 ? 'red' : h < 45 ? 'orange' : h < 70 ? 'yellow' : h < 165 ? 'green' : h < 250 ? 'blue' : h < 290 ? 'purple' : 'pink';
  return { hue, lightness };
}
