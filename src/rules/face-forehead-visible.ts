import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, grade, graded, pass, round, skip } from '../core/rule.js';

export interface ForeheadOptions {
  failAbove: number;
  warnAbove: number;
}

/** Forehead not covered by hair: the share of the forehead (brows to hairline landmark) that is not skin. */
export default defineRule<ForeheadOptions>({
  id: 'face.forehead-visible',
  meta: {
    description: { zh: '额头露出，头发不遮挡额头和眉毛', en: 'forehead visible, hair off the forehead and brows' },
    messageIds: ['ok', 'covered', 'partly', 'noSingleFace'],
    defaultOptions: { failAbove: 0.6, warnAbove: 0.35 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const share = round(regions.foreheadCovered * 100, 0);
    const rest = { data: { share, max: Math.round(options.warnAbove * 100) }, measured: { coveredPercent: share }, expected: { maxCoveredPercent: Math.round(options.warnAbove * 100) } };
    const status = grade(regions.foreheadCovered, { warn: options.warnAbove, fail: options.failAbove });
    return status ? graded(status, status === 'fail' ? 'covered' : 'partly', rest) : pass('ok', rest);
  },
});
