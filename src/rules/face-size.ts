import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass, round } from '../contract/rule.js';
import { frameScale, isFinding, singleFace } from './face-shared.js';

export interface FaceSizeOptions {
  minWidth: number;
  maxWidth: number;
}

/** Face width, cheek to cheek, in pixels of the profile's frame. */
export default defineRule<FaceSizeOptions>({
  id: 'face.size',
  meta: {
    description: { zh: '脸宽（两颊之间）在 {frameWidth}×{frameHeight} 画幅中为 {minWidth}–{maxWidth} 像素', en: 'face width (cheek to cheek) {minWidth}–{maxWidth} px in the {frameWidth}x{frameHeight} frame' },
    messageIds: ['ok', 'tooSmall', 'tooLarge', 'noSingleFace'],
    defaultOptions: defaultProfileOptions<FaceSizeOptions>('face.size'),
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
