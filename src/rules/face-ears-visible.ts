import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, fail, pass, round, skip, warn } from '../contract/rule.js';

export interface EarsOptions {
  /** Without a person matte: share of skin-coloured pixels beside a cheek (where the ear is) below which the ear is hidden. */
  failBelow: number;
  warnBelow: number;
  /** With the matte: a side is covered when at least this share of the ear region is person... */
  coveredAbove: number;
  /** ...and less than this share of that person is skin (fail), or less than the warn share. */
  skinFailBelow: number;
  skinWarnBelow: number;
  /** Warn when at least this share of the region is person and less than partlySkinBelow of it is skin. */
  partlyAbove: number;
  partlySkinBelow: number;
}

/** Both ears visible beside the face, not hidden by hair or cropped. */
export default defineRule<EarsOptions>({
  id: 'face.ears-visible',
  meta: {
    description: { zh: '双耳露出，不被头发遮挡', en: 'both ears visible, not covered by hair' },
    messageIds: ['ok', 'hidden', 'hiddenBoth', 'unclear', 'noSingleFace'],
    defaultOptions: { failBelow: 0.05, warnBelow: 0.12, coveredAbove: 0.93, skinFailBelow: 0.35, skinWarnBelow: 0.5, partlyAbove: 0.5, partlySkinBelow: 0.25 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    if (regions.ears) {
      // Hair over an ear fills the region beside the cheek with person that is not skin.
      const { person, skin } = regions.ears;
      const hiddenness = [0, 1].map((i) => (person[i] >= options.coveredAbove ? skin[i] : 1));
      const [left, right] = skin.map((v) => round(v * 100, 0));
      const side = hiddenness[0] <= hiddenness[1] ? 'left' : 'right';
      const least = Math.min(...hiddenness);
      const both = hiddenness.every((v) => v < options.skinFailBelow);
      const rest = {
        data: { left, right, side },
        measured: { leftSkinPercent: left, rightSkinPercent: right, leftPersonPercent: round(person[0] * 100, 0), rightPersonPercent: round(person[1] * 100, 0) },
        expected: { minSkinPercent: Math.round(options.skinWarnBelow * 100) },
      };
      if (both) return fail('hiddenBoth', rest);
      if (least < options.skinFailBelow) return fail('hidden', rest);
      if (least < options.skinWarnBelow) return warn('unclear', rest);
      // Hair beside the cheek with backdrop around it: an ear covered by a bob, or (as often) the far ear
      // of a turned head hidden behind its own cheek. A person should look.
      const hairy = [0, 1].filter((i) => person[i] >= options.partlyAbove && skin[i] < options.partlySkinBelow);
      if (hairy.length) return warn('unclear', { ...rest, data: { ...rest.data, side: hairy.length === 2 ? side : hairy[0] === 0 ? 'left' : 'right' } });
      return pass('ok', rest);
    }
    const [left, right] = regions.earSkin.map((v) => round(v * 100, 0));
    const least = Math.min(...regions.earSkin);
    const side = regions.earSkin[0] <= regions.earSkin[1] ? 'left' : 'right';
    const rest = { data: { left, right, side }, measured: { leftSkinPercent: left, rightSkinPercent: right }, expected: { minSkinPercent: Math.round(options.warnBelow * 100) } };
    if (least < options.failBelow) return fail('hidden', rest);
    if (least < options.warnBelow) return warn('unclear', rest);
    return pass('ok', rest);
  },
});
