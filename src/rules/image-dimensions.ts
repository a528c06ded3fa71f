import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass } from '../contract/rule.js';

export interface DimensionsOptions {
  width: number;
  height: number;
  /** Relative tolerance for "the aspect ratio is already right" (a plain resize fixes it). */
  aspectTolerance: number;
}

/** Pixel size as viewers show it (after EXIF orientation). */
export default defineRule<DimensionsOptions>({
  id: 'image.dimensions',
  meta: {
    description: { zh: '像素尺寸为 {width}×{height}（宽×高）', en: 'pixel size {width}x{height} (width x height)' },
    messageIds: ['ok', 'rightAspect', 'wrongAspect', 'landscape'],
    defaultOptions: defaultProfileOptions<DimensionsOptions>('image.dimensions'),
  },
  check({ photo, options }) {
    const { width, height } = photo;
    const data = { width, height, expectedWidth: options.width, expectedHeight: options.height };
    const rest = { data, measured: { width, height }, expected: { width: options.width, height: options.height } };
    if (width === options.width && height === options.height) return pass('ok', rest);
    const aspect = width / height;
    const wanted = options.width / options.height;
    if (Math.abs(aspect / wanted - 1) <= options.aspectTolerance) return fail('rightAspect', rest);
    return fail(width > height ? 'landscape' : 'wrongAspect', rest);
  },
});
