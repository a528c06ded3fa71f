import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, pass, round, skip, warn } from '../contract/rule.js';

export interface CollarOptions {
  /** Share of bare skin beside the neck above which no collar is seen. */
  bareAbove: number;
}

/**
 * A collar at the neck (the notice asks for 有领). A shirt collar or lapels cover the sides of the
 * neck just under the jaw; a T-shirt neckline leaves them bare. Warn only: a heuristic, a person should look.
 */
export default defineRule<CollarOptions>({
  id: 'clothing.collar',
  meta: {
    description: { zh: '穿有领的衣服', en: 'clothes with a collar' },
    messageIds: ['ok', 'noCollar', 'notVisible', 'noSingleFace'],
    defaultOptions: { bareAbove: 0.5 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    if (regions.neckSideSkin === undefined) return skip('notVisible', { data: {} });
    const bare = round(regions.neckSideSkin * 100, 0);
    const rest = { data: { bare, max: Math.round(options.bareAbove * 100) }, measured: { bareNeckPercent: bare }, expected: { maxBareNeckPercent: Math.round(options.bareAbove * 100) } };
    return regions.neckSideSkin > options.bareAbove ? warn('noCollar', rest) : pass('ok', rest);
  },
});
