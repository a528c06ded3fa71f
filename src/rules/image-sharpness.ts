import { faceRegions } from '../analysis/face-regions.js';
import { defineRule, grade, graded, pass, round, skip } from '../contract/rule.js';

export interface SharpnessOptions {
  failBelow: number;
  warnBelow: number;
}

/** Focus in the face: variance of the Laplacian with the face scaled to 240 px wide (blur, upscaled small photos). */
export default defineRule<SharpnessOptions>({
  id: 'image.sharpness',
  meta: {
    description: { zh: '面部清晰，对焦准确，不是放大的小图', en: 'face in focus, not blurred or enlarged from a small photo' },
    messageIds: ['ok', 'blurred', 'soft', 'noSingleFace'],
    defaultOptions: { failBelow: 40, warnBelow: 80 },
  },
  async check({ photo, options }) {
    const regions = await faceRegions(photo);
    if (!regions) return skip('noSingleFace', { data: { count: 0 } });
    const value = round(regions.sharpness, 0);
    const rest = { data: { value, min: options.warnBelow, fail: options.failBelow }, measured: value, expected: { min: options.warnBelow } };
    const status = grade(value, { warn: options.warnBelow, fail: options.failBelow }, 'below');
    return status ? graded(status, status === 'fail' ? 'blurred' : 'soft', rest) : pass('ok', rest);
  },
});
