import { defineRule, fail, pass, round } from '../contract/rule.js';
import { frameScale, isFinding, singleFace } from './face-shared.js';

export interface FaceSizeOptions {
  minWidth: number;
  maxWidth: number;
}

/** Face width, cheek to cheek, in pixels of the 480x640 frame. */
export default defineRule<FaceSizeOptions>({
  id: 'face.size',
  meta: {
    description: { zh: '脸宽（两颊之间）在 480×640 画幅中为 180–300 像素', en: 'face width (cheek to cheek) 180–300 px in the 480x640 frame' },
    messageIds: ['ok', 'tooSmall', 'tooLarge', 'noSingleFace'],
    defaultOptions: { minWidth: 180, maxWidth: 300 },
  },
  async check({ photo, options, frame }) {
    const found = await singleFace(photo);
    if (isFinding(found)) return found;
    const width = round(found.face.faceWidth * frameScale(photo, frame));
    const rest = { data: { width, min: options.minWidth, max: options.maxWidth }, measured: width, expected: { min: options.minWidth, max: options.maxWidth } };
    if (width < options.minWidth) return fail('tooSmall', rest);
    if (width > options.maxWidth) return fail('tooLarge', rest);
    return pass('ok', rest);
  },
});
