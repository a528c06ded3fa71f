import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass } from '../contract/rule.js';

export interface DimensionsOptions {
  /** The profile's frame: the size fix makes. */
  width: number;
  height: number;
  /** Sizes the standard accepts (equal to width/height for an exact size); a max of 0 is no upper limit. */
  minWidth: number;
  maxWidth: number;
  minHeight: number;
  maxHeight: number;
  /** Width : height asked for (0: none beyond the range). */
  aspectWidth: number;
  aspectHeight: number;
  /** Relative tolerance for "the aspect ratio is already right" (a plain resize fixes it). */
  aspectTolerance: number;
}

/** Pixel size as viewers show it (after EXIF orientation), against the profile's size, range or minimum and aspect. */
export default defineRule<DimensionsOptions>({
  id: 'image.dimensions',
  meta: {
    description: { zh: '像素尺寸为 {frameSize}（宽×高）', en: 'pixel size {frameSize} (width x height)' },
    messageIds: ['ok', 'rightAspect', 'wrongAspect', 'landscape', 'outOfRange', 'tooSmall'],
    defaultOptions: defaultProfileOptions<DimensionsOptions>('image.dimensions'),
  },
  check({ photo, options }) {
    const { width, height } = photo;
    const data = { width, height, expectedWidth: options.width, expectedHeight: options.height };
    const exact = options.minWidth === options.maxWidth && options.minHeight === options.maxHeight && !options.aspectWidth;
    const expected = exact
      ? { width: options.width, height: options.height }
      : { minWidth: options.minWidth, maxWidth: options.maxWidth || null, minHeight: options.minHeight, maxHeight: options.maxHeight || null, aspect: options.aspectWidth ? [options.aspectWidth, options.aspectHeight] : null };
    const rest = { data, measured: { width, height }, expected };
    const wanted = options.aspectWidth ? options.aspectWidth / options.aspectHeight : options.width / options.height;
    const aspectOk = Math.abs(width / height / wanted - 1) <= options.aspectTolerance;
    const inRange = (v: number, min: number, max: number) => v >= min && (max === 0 || v <= max);
    const sizeOk = exact ? width === options.width && height === options.height
      : inRange(width, options.minWidth, options.maxWidth) && inRange(height, options.minHeight, options.maxHeight) && (!options.aspectWidth || aspectOk);
    if (sizeOk) return pass('ok', rest);
    if (width > height && options.height > options.width) return fail('landscape', rest);
    if (!aspectOk) return fail('wrongAspect', rest);
    if (exact) return fail('rightAspect', rest);
    return fail(width < options.minWidth || height < options.minHeight ? 'tooSmall' : 'outOfRange', rest);
  },
});
