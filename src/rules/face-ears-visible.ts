import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, fail, pass, round, skip, warn } from '../core/rule.js';

export interface EarsOptions {
  /** Share of skin-coloured pixels beside a cheek (where the ear is) below which the ear is hidden. */
  failBelow: number;
  warnBelow: number;
}

/** Both ears visible beside the face, not hidden by hair or cropped. */
export default defineRule<EarsOptions>({
  id: 'face.ears-visible',
  meta: {
    description: { zh: '双耳露出，不被头发遮挡', en: 'both ears visible, not covered by hair' },
    messageIds: ['ok', 'hidden', 'unclear', 'noSingleFace'],
    defaultOptions: { failBelow: 0.05, warnBelow: 0.12 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const [left, right] = regions.earSkin.map((v) => round(v * 100, 0));
    const least = Math.min(...regions.earSkin);
    const side = regions.earSkin[0] <= regions.earSkin[1] ? 'left' : 'right';
    const rest = { data: { left, right, side }, measured: { leftSkinPercent: left, rightSkinPercent: right }, expected: { minSkinPercent: Math.round(options.warnBelow * 100) } };
    if (least < options.failBelow) return fail('hidden', rest);
    if (least < options.warnBelow) return warn('unclear', rest);
    return pass('ok', rest);
  },
});
