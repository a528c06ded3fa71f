import { background } from '../analysis/background.js';
import { deltaE2000, rgbToLab, type Rgb } from '../analysis/colour.js';
import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, fail, pass, round, skip, warn } from '../contract/rule.js';

export interface ClothingContrastOptions {
  failBelow: number;
  warnBelow: number;
}

/** Clothes below the chin clearly different from the background (the "black edge" rejection). */
export default defineRule<ClothingContrastOptions>({
  id: 'clothing.contrast',
  meta: {
    description: { zh: '衣着颜色与背景明显不同', en: 'clothes clearly different from the background' },
    messageIds: ['ok', 'tooClose', 'noSingleFace'],
    defaultOptions: { failBelow: 8, warnBelow: 15 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const bg = await background(photo);
    const clothes = regions.clothes.map(Math.round) as Rgb;
    const distance = round(deltaE2000(rgbToLab(clothes), rgbToLab(bg.mean)));
    const [r, g, b] = clothes;
    const rest = { data: { r, g, b, distance, min: options.warnBelow }, measured: { clothes, deltaE2000: distance }, expected: { minDeltaE2000: options.warnBelow } };
    if (distance < options.failBelow) return fail('tooClose', rest);
    if (distance < options.warnBelow) return warn('tooClose', rest);
    return pass('ok', rest);
  },
});
