import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, pass, warn } from '../contract/rule.js';

export interface DpiOptions {
  dpi: number;
}

/** Declared resolution (JFIF/EXIF density). Profiles ask for a density (300 dpi for the diploma photo); pixels matter more, so only warn. */
export default defineRule<DpiOptions>({
  id: 'image.dpi',
  meta: {
    description: { zh: '分辨率标记为 {dpi} dpi', en: 'resolution tag says {dpi} dpi' },
    messageIds: ['ok', 'other', 'missing'],
    defaultOptions: defaultProfileOptions<DpiOptions>('image.dpi'),
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
