import { iccDescription } from '../formats/icc.js';
import { defineRule, fail, pass, round, warn } from '../contract/rule.js';
import type { Pixels } from '../contract/types.js';

export interface ColorOptions {
  /** Mean chroma (|R-G| + |G-B|, 0–510) below which an RGB photo is really black and white. */
  minMeanChroma: number;
}

function meanChroma(pixels: Pixels): number {
  const { data } = pixels;
  const step = Math.max(1, Math.floor(data.length / 3 / 20000)) * 3; // a sample of about 20k pixels is plenty
  let sum = 0;
  let count = 0;
  for (let i = 0; i + 2 < data.length; i += step) {
    sum += Math.abs(data[i] - data[i + 1]) + Math.abs(data[i + 1] - data[i + 2]);
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/** 24-bit true colour: 3 channels of 8 bits, sRGB/YCbCr, no alpha, not greyscale or CMYK. */
export default defineRule<ColorOptions>({
  id: 'image.color',
  meta: {
    description: { zh: '24 位真彩色（sRGB，8 位 3 通道）', en: '24-bit true colour (sRGB, 3 channels of 8 bits)' },
    messageIds: ['ok', 'cmyk', 'greyscale', 'noColour', 'sixteenBit', 'alpha', 'otherProfile'],
    defaultOptions: { minMeanChroma: 3 },
  },
  check({ photo, options }) {
    const { space, channels, depth, hasAlpha } = photo.meta;
    const profile = iccDescription(photo.meta.icc);
    const chroma = meanChroma(photo.pixels);
    const measured = { space, channels, depth, alpha: Boolean(hasAlpha), profile: profile ?? null, meanChroma: round(chroma) };
    const expected = { space: 'srgb', channels: 3, depth: 'uchar', alpha: false };
    const rest = { measured, expected };
    const findings = [];
    if (space === 'cmyk') findings.push(fail('cmyk', rest));
    else if (space === 'b-w' || space === 'grey16' || channels === 1 || (channels === 2 && hasAlpha)) findings.push(fail('greyscale', rest));
    else if (chroma < options.minMeanChroma) findings.push(fail('noColour', { ...rest, data: { chroma: round(chroma) } }));
    if (depth && depth !== 'uchar' && depth !== 'char') findings.push(fail('sixteenBit', { ...rest, data: { depth } }));
    if (hasAlpha) findings.push(fail('alpha', rest));
    if (findings.length === 0 && profile && !/srgb/i.test(profile)) findings.push(warn('otherProfile', { ...rest, data: { profile } }));
    return findings.length > 0 ? findings : pass('ok', rest);
  },
});
