import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, grade, graded, pass, round, skip } from '../contract/rule.js';

export interface ForeheadOptions {
  /** Without a hair sample: share of the forehead that is not skin-coloured. */
  failAbove: number;
  warnAbove: number;
  /** With the person's own hair colour: share of the forehead nearer the hair's colour than the skin's. */
  hairFailAbove: number;
  hairWarnAbove: number;
}

/** Forehead not covered by hair: the share of the forehead (brows to hairline landmark) that is not skin. */
export default defineRule<ForeheadOptions>({
  id: 'face.forehead-visible',
  meta: {
    description: { zh: '额头露出，头发不遮挡额头和眉毛', en: 'forehead visible, hair off the forehead and brows' },
    messageIds: ['ok', 'covered', 'partly', 'noSingleFace'],
    defaultOptions: { failAbove: 0.8, warnAbove: 0.35, hairFailAbove: 0.25, hairWarnAbove: 0.12 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const byHair = regions.foreheadHair !== undefined;
    const covered = byHair ? regions.foreheadHair! : regions.foreheadCovered;
    const [warnAbove, failAbove] = byHair ? [options.hairWarnAbove, options.hairFailAbove] : [options.warnAbove, options.failAbove];
    const share = round(covered * 100, 0);
    const rest = {
      data: { share, max: Math.round(warnAbove * 100), fail: Math.round(failAbove * 100) },
      measured: { coveredPercent: share, by: byHair ? 'hair colour' : 'skin colour' },
      expected: { maxCoveredPercent: Math.round(warnAbove * 100) },
    };
    const status = grade(covered, { warn: warnAbove, fail: failAbove });
    return status ? graded(status, status === 'fail' ? 'covered' : 'partly', rest) : pass('ok', rest);
  },
});
