import type { Profile } from './types.js';

/**
 * The Open University of China graduate photo notice and the national diploma photo standard it
 * rests on (../shared/SPEC.md lists the sources). Numbers here are data: change them here, not in rules.
 */
export const chsiGraduate: Profile = {
  id: 'chsi-graduate',
  description: {
    zh: '国家开放大学毕业生图像采集（学信网毕业证书电子注册照片）',
    en: 'Open University of China graduate photo (CHSI diploma registration photo)',
  },
  frame: { width: 480, height: 640 }, // notice: 480 px wide x 640 px high
  rules: {
    'file.decode': {},
    // notice: "JPG"; baseline is what the standard's own samples use, progressive only warns.
    'file.format': { options: { extensions: ['.jpg', '.jpeg'], progressive: 'warn' } },
    // SPEC file.trailing-data: padding to hit a size is refused by some uploaders.
    'file.trailing-data': { options: { maxBytes: 8 } },
    // notice: "30K–40K". 30 KiB = 30720 B lower bound; 40000 B upper (ImageMagick's "40kb" is 40000 B too);
    // the 30000–30719 and 40001–40960 bands depend on how the uploader counts a K: warn.
    'file.size': { options: { minBytes: 30720, maxBytes: 40000, warnMinBytes: 30000, warnMaxBytes: 40960 } },
    'image.dimensions': { options: { width: 480, height: 640, aspectTolerance: 0.01 } },
    // standard: 24-bit true colour.
    'image.color': { options: { minMeanChroma: 3 } },
    'image.orientation': {},
    // standard: 300 dpi (a tag only: warn).
    'image.dpi': { options: { dpi: 300 } },
    // standard: JPEG quality factor >= 60.
    'image.jpeg-quality': { options: { minQuality: 60 } },
  },
};
