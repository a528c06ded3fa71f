import type { ProfileData } from '../types.js';

/** Exit-entry documents (passport, Hong Kong/Macao/Taiwan permits): 出入境证件相片照相指引, ICAO 9303 based. */
export const passport: ProfileData = {
  id: 'passport',
  extends: 'ouc-graduate',
  name: { zh: '出入境证件照片（护照、港澳台通行证）', en: 'Passport and exit-entry permit photo' },
  sources: [
    '出入境证件相片照相指引 as quoted by shbk.net/techan/276856.html, bbs.sgcn.org/thread-16277781-3-1.html, renrendoc.com/paper/292799635.html',
    'ICAO 9303 / ISO/IEC 19794-5 (eye line 50–70 % of the height from the bottom)',
  ],
  confidence: 'medium',
  // 354–480 wide, 472–640 high, 3:4; fix makes the smallest.
  frame: { width: { min: 354, max: 480 }, height: { min: 472, max: 640 }, aspect: [3, 4], target: { width: 354, height: 472 } },
  bytes: { min: 20480, max: 81920 },
  background: {
    colours: [
      { id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } },
      // H=S=0, V ≥ 198 on the 0–240 scale the guide uses: RGB(210,210,210) is its darkest grey.
      { id: 'grey', rgb: [210, 210, 210], name: { zh: '浅灰色', en: 'light grey' } },
      // H135 S240 V167 on that scale is RGB(100,197,255), the diploma's light blue.
      { id: 'blue', rgb: [100, 197, 255], name: { zh: '浅蓝色', en: 'light blue' } },
    ],
  },
  dpi: 300,
  // Printed 33x48 mm: head top 3–5 mm (0.063–0.104 of the height); head width 15–22 mm (0.45–0.67 of the
  // width; the cheek-to-cheek face is narrower than the head: 0.40 is ours); eye line 50–70 % of the height
  // from the bottom (ICAO).
  geometry: { unit: 'fraction', faceWidth: { min: 0.4, max: 0.67 }, headTop: { min: 0.063, max: 0.104 }, eyeLine: { min: 0.3, max: 0.5 } },
  glasses: 'warn',
  notes: {
    frame: 'guide: at least 354x472, width 354–480, height 472–640, 3:4',
    bytes: 'guide: JPEG 20–80 KB, 24-bit',
    background: 'guide: white, light grey (H=S=0, V ≥ 198) or light blue (H135, S240, V ≥ 167)',
    dpi: 'guide: 300–600 dpi; 300 asked',
    geometry: 'guide (33x48 mm print): head top 3–5 mm, head width 15–22 mm; ICAO eye line 50–70 % from the bottom; face width lower bound ours',
    glasses: 'guide: glasses without glare or tint allowed, frames not over the eyes; ours: glasses warn for a person to look',
  },
};
