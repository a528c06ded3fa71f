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
    // standard: one person only; faces far smaller than the main one (people far behind) are ignored.
    'face.count': {},
    // standard: face width (cheek to cheek) 180–300 px in the 480x640 frame.
    'face.size': { options: { minWidth: 180, maxWidth: 300 } },
    // standard: head top 50–110 px, eyes 200–300 px from the top edge; within 10 px outside warns (measurement
    // tolerance). Centring has no number in the standard: off by more than 24 px (5% of the width) warns, 48 fails.
    'face.position': { options: { headTopMin: 50, headTopMax: 110, eyeLineMin: 200, eyeLineMax: 300, maxCentreOffset: 24, tolerance: 10 } },
    // review rejections name the pupil line; ICAO 9303 allows about ±8° roll and ±5° yaw/pitch. The model's
    // yaw and pitch read up to ±6° and +15° on frontal corpus faces, so those limits are wider (calibrated).
    'face.pose': { options: { rollWarn: 3, rollFail: 6, yawWarn: 8, yawFail: 12, pitchWarn: 15, pitchFail: 22 } },
    // open eyes measured 0.28–0.48 lid gap / eye width on the corpus (FACE.md research).
    'face.eyes-open': { options: { warnBelow: 0.2, failBelow: 0.14 } },
  },
};
