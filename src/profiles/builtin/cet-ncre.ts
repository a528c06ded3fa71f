import type { ProfileData } from '../types.js';

/** CET-4/6 and NCRE registration photos: a minimum size, a wide byte window, layout in fractions. */
export const cetNcre: ProfileData = {
  id: 'cet-ncre',
  extends: 'ouc-graduate',
  name: { zh: '大学英语四六级、全国计算机等级考试报名照片', en: 'CET-4/6 and NCRE registration photo' },
  sources: ['educity.cn/cet/2164641.html; wenda.hqwx.com/q-209941.html (CET); 51igbt.cn/news/d2eb6346bf8c2cf352ea6092ccf114c0.html (NCRE)'],
  confidence: 'low',
  frame: { width: { min: 144 }, height: { min: 192 }, aspect: [3, 4], target: { width: 360, height: 480 } },
  bytes: { min: 20480, max: 204800 },
  background: {
    colours: [
      { id: 'blue', rgb: [100, 197, 255], name: { zh: '浅蓝色', en: 'light blue' } },
      { id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } },
    ],
  },
  dpi: null,
  // 1/10 of the height above the head, head 7/10, 1/10 each side: head top 0.05–0.15 (±0.05 ours), eyes
  // where a 7/10 head puts them (0.30–0.50, ours), face width 0.45–0.70 of the width (ours from the layout).
  geometry: { unit: 'fraction', faceWidth: { min: 0.45, max: 0.7 }, headTop: { min: 0.05, max: 0.15 }, eyeLine: { min: 0.3, max: 0.5 } },
  glasses: 'allowed',
  notes: {
    frame: 'sources: at least 144x192, 3:4 (some schools ask 250x350 at 20–40 KB: write a profile file)',
    bytes: 'sources: JPG 20–200 KB',
    background: 'sources: light blue or white',
    dpi: 'sources: none asked',
    geometry: 'sources: 1/10 above the head, head 7/10, shoulders 1/5, 1/10 each side; the bands around them are ours',
    glasses: 'sources: not mentioned',
  },
};
