import { background } from '../analysis/background.js';
import { person } from '../analysis/person.js';
import { defineRule, grade, graded, pass, round, skip } from '../contract/rule.js';
import type { Finding } from '../contract/types.js';

export interface BackgroundUniformOptions {
  /** Texture, objects, noise: spread around a smooth colour surface (redmean units). */
  residualWarn: number;
  residualFail: number;
  /** Change of the background colour across the frame (gradient), redmean units. */
  gradientWarn: number;
  gradientFail: number;
  /** Largest difference of a corner or side patch from the mean (shadows, uneven light). */
  patchWarn: number;
  patchFail: number;
  /** Share of the frame in objects, lettering or patches the person matte puts in the backdrop. */
  objectsWarn: number;
  objectsFail: number;
}

/** Even background: no texture or objects, no gradient, no shadow patches. */
export default defineRule<BackgroundUniformOptions>({
  id: 'background.uniform',
  meta: {
    description: { zh: '背景均匀：无渐变、无阴影、无杂物', en: 'even background: no gradient, shadow or objects' },
    messageIds: ['ok', 'textured', 'gradient', 'patches', 'objects', 'notFound'],
    defaultOptions: { residualWarn: 5, residualFail: 8, gradientWarn: 12, gradientFail: 25, patchWarn: 10, patchFail: 20, objectsWarn: 0.006, objectsFail: 0.015 },
  },
  async check({ photo, options }) {
    const bg = await background(photo);
    if (bg.share < 0.05) return skip('notFound', { data: {} });
    const residual = round(bg.residual); const gradient = round(Math.max(bg.gradientX, bg.gradientY)); const patches = round(bg.patchSpread);
    const subject = await person(photo);
    const objects = subject ? Math.round(subject.objects * 1000) / 10 : undefined; // percent of the frame
    const measured = { residual, gradientX: round(bg.gradientX), gradientY: round(bg.gradientY), patchSpread: patches, ...(objects === undefined ? {} : { objects }) };
    const expected = { residual: { max: options.residualFail }, gradient: { max: options.gradientFail }, patchSpread: { max: options.patchFail }, objects: { max: options.objectsFail * 100 } };
    const direction = bg.gradientY >= bg.gradientX ? 'topBottom' : 'leftRight';
    const findings: Finding[] = [];
    const judge = (messageId: string, value: number, warnAt: number, failAt: number) => {
      const status = grade(value, { warn: warnAt, fail: failAt });
      if (status) findings.push(graded(status, messageId, { data: { value, even: warnAt, max: failAt, direction }, measured, expected }));
    };
    judge('textured', residual, options.residualWarn, options.residualFail);
    judge('gradient', gradient, options.gradientWarn, options.gradientFail);
    judge('patches', patches, options.patchWarn, options.patchFail);
    if (objects !== undefined && objects >= options.objectsWarn * 100) {
      const status = objects >= options.objectsFail * 100 ? 'fail' : 'warn';
      findings.push(graded(status, 'objects', { data: { value: objects, max: round(options.objectsFail * 100) }, measured, expected }));
    }
    return findings.length > 0 ? findings : pass('ok', { data: { residual, gradient, patches }, measured, expected });
  },
});
