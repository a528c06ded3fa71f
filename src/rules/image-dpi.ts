import { defineRule, pass, warn } from '../contract/rule.js';

export interface DpiOptions {
  dpi: number;
}

/** Declared resolution (JFIF/EXIF density). Reviewers ask for 300 dpi; pixels matter more, so only warn. */
export default defineRule<DpiOptions>({
  id: 'image.dpi',
  meta: {
    description: { zh: '分辨率标记为 300 dpi', en: 'resolution tag says 300 dpi' },
    messageIds: ['ok', 'other', 'missing'],
    defaultOptions: { dpi: 300 },
  },
  check({ photo, options }) {
    const jfif = photo.jpeg?.jfifDensity;
    // JFIF units 0 means "aspect ratio only": there is no dpi, whatever sharp reports.
    const declared = jfif && jfif.units === 0 && !photo.exif?.XResolution ? undefined : photo.meta.density;
    const rest = { measured: declared ?? null, expected: options.dpi, data: { dpi: declared ?? 0, expected: options.dpi } };
    if (declared === undefined) return warn('missing', rest);
    if (Math.abs(declared - options.dpi) < 0.5) return pass('ok', rest);
    return warn('other', rest);
  },
});
