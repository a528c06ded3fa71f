import type { ProfileData } from '../types.js';

/**
 * The national CHSI diploma registration photo specification (教毕指[2017]9号) as self-study exam offices
 * quote it: the same frame and geometry as the Open University notice, but light blue, white or light grey,
 * "usually 20–40 KB", and habitual glasses wearers wear them. Until issue 16 `chsi-graduate` named the
 * Open University notice; that is `ouc-graduate` now.
 */
export const chsiGraduate: ProfileData = {
  id: 'chsi-graduate',
  extends: 'ouc-graduate',
  name: { zh: '学信网毕业证书电子注册照片（国家规范）', en: 'CHSI diploma registration photo (national specification)' },
  sources: [
    '教毕指[2017]9号 national diploma photo specification, as quoted by self-study exam offices: jmdrkj.cn/227978.html; liuxue86.com (自考毕业证书电子注册图像采集规范)',
    'the same copies: light blue RGB(100,197,255), white or light grey RGB(240,240,240); habitual glasses wearers wear them; "usually 20–40 KB"',
  ],
  confidence: 'medium',
  frame: { width: 480, height: 640 },
  // "usually 20–40 KB": 20 KiB lower bound, 40000 B upper; a K of 1000 or 1024 B only warns, as for the notice.
  bytes: { min: 20480, max: 40000, warnMin: 20000, warnMax: 40960 },
  background: {
    colours: [
      { id: 'blue', rgb: [100, 197, 255], name: { zh: '浅蓝色', en: 'light blue' } },
      { id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } },
      { id: 'grey', rgb: [240, 240, 240], name: { zh: '浅灰色', en: 'light grey' } },
    ],
  },
  dpi: 300,
  jpegQuality: 60,
  geometry: { unit: 'px', faceWidth: { min: 180, max: 300 }, headTop: { min: 50, max: 110 }, eyeLine: { min: 200, max: 300 } },
  // "习惯戴眼镜者应戴眼镜": not a reason to reject.
  glasses: 'allowed',
  notes: {
    frame: 'specification: 480x640',
    bytes: 'specification: "usually 20–40 KB"',
    background: 'specification: light blue RGB(100,197,255), white, or light grey RGB(240,240,240)',
    dpi: 'specification: 300 dpi, 24-bit',
    jpegQuality: 'specification: quality ≥ 60',
    geometry: 'specification: head top 50–110 px, eyes 200–300 px, face width 180–300 px',
    glasses: 'specification: habitual glasses wearers wear them',
  },
};
