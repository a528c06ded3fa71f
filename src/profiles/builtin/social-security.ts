import type { ProfileData } from '../types.js';

/** The social security card photo (the ID card's frame, a wider face band and byte window). */
export const socialSecurity: ProfileData = {
  id: 'social-security',
  extends: 'ouc-graduate',
  name: { zh: '社会保障卡照片', en: 'Social security card photo' },
  sources: ['rsc.sdws.edu.cn/2019/0416/c253a1938/page.htm (社保卡数码相片标准), with the GA 461 frame'],
  confidence: 'medium',
  frame: { width: 358, height: 441 },
  bytes: { min: 14336, max: 40960 },
  background: { colours: [{ id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } }] },
  dpi: 350,
  jpegQuality: 70,
  // Face width 179–255; head top 7–21; eye midpoint 162–196 px from the left (179 ± 17: the centring limit);
  // eyes ≥ 207 px from the bottom (≤ 234 from the top); the lower bound 120 px is ours.
  geometry: { unit: 'px', faceWidth: { min: 179, max: 255 }, headTop: { min: 7, max: 21 }, eyeLine: { min: 120, max: 234 }, maxCentreOffset: 17 },
  glasses: 'forbidden',
  notes: {
    frame: 'source: 358x441 px',
    bytes: 'source: 14–40 KB, JPEG q70',
    background: 'source: white',
    dpi: 'source: 350 dpi',
    jpegQuality: 'source: JPEG quality 70',
    geometry: 'source: face width 179–255, head top 7–21, eye midpoint 162–196 from the left, eyes ≥ 207 from the bottom; eye line lower bound ours',
    glasses: 'ours: glasses fail, as for the ID card',
  },
};
