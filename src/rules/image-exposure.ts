import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, fail, grade, graded, pass, round, skip, warn } from '../contract/rule.js';
import type { Finding } from '../contract/types.js';

export interface ExposureOptions {
  /** Face lightness L* range: below lightnessMin fails whatever the scene (deep skin in good light reads 30–45),
   * above lightnessMax fails; the inner range warns. */
  lightnessMin: number;
  lightnessMax: number;
  lightnessWarnMin: number;
  lightnessWarnMax: number;
  /** Under lightnessDarkScene the face fails as dark when nothing in the picture is bright either (1% of
   * pixels reach at most sceneBrightMin): the whole shot lacks light, not the skin its colour. */
  lightnessDarkScene: number;
  sceneBrightMin: number;
  /** Share of clipped (blown, L* ≥ 97) face pixels. */
  clippedWarn: number;
  clippedFail: number;
  /** L* difference between the face's halves (one side in shadow). */
  sidesWarn: number;
  sidesFail: number;
}

/** Even, correct light on the face: not too dark or bright, no blown highlights, no half-face shadow. */
export default defineRule<ExposureOptions>({
  id: 'image.exposure',
  meta: {
    description: { zh: '面部曝光均匀，不过暗、不过亮、无阴阳脸', en: 'face evenly lit: not too dark or bright, no half in shadow' },
    messageIds: ['ok', 'dark', 'bright', 'clipped', 'sides', 'noSingleFace'],
    defaultOptions: { lightnessMin: 25, lightnessDarkScene: 35, sceneBrightMin: 75, lightnessMax: 90, lightnessWarnMin: 40, lightnessWarnMax: 85, clippedWarn: 0.02, clippedFail: 0.05, sidesWarn: 14, sidesFail: 22 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const lightness = round(regions.faceLightness); const clipped = round(regions.clipped * 100); const sides = round(regions.sideDifference);
    const measured = { lightness, clippedPercent: clipped, sideDifference: sides, sceneBright: round(regions.sceneBright) };
    const expected = { lightness: { min: options.lightnessWarnMin, max: options.lightnessWarnMax }, clippedPercent: { max: options.clippedWarn * 100 }, sideDifference: { max: options.sidesWarn } };
    const data = { lightness, clipped, sides, min: options.lightnessWarnMin, max: options.lightnessWarnMax, clippedMax: options.clippedWarn * 100, sidesMax: options.sidesWarn };
    const rest = { data, measured, expected };
    const findings: Finding[] = [];
    const darkScene = lightness < options.lightnessDarkScene && regions.sceneBright <= options.sceneBrightMin;
    if (lightness < options.lightnessMin || darkScene) findings.push(fail('dark', rest));
    else if (lightness < options.lightnessWarnMin) findings.push(warn('dark', rest));
    else if (lightness > options.lightnessMax) findings.push(fail('bright', rest));
    else if (lightness > options.lightnessWarnMax) findings.push(warn('bright', rest));
    const clippedStatus = grade(regions.clipped, { warn: options.clippedWarn, fail: options.clippedFail });
    if (clippedStatus) findings.push(graded(clippedStatus, 'clipped', rest));
    const sidesStatus = grade(sides, { warn: options.sidesWarn, fail: options.sidesFail });
    if (sidesStatus) findings.push(graded(sidesStatus, 'sides', rest));
    return findings.length > 0 ? findings : pass('ok', rest);
  },
});
