import type { ProfileData } from '../types.js';

/** The resident ID card photo, GA 461-2004 (research/standards.md). */
export const idCard: ProfileData = {
  id: 'id-card',
  extends: 'ouc-graduate',
  name: { zh: '居民身份证照片（GA 461-2004）', en: 'Resident ID card photo (GA 461-2004)' },
  sources: [
    'GA 461-2004 as quoted by hybridbeedesign.com/news_mini.asp?id=2088, 0551fangchan.com/2022-08-24/08413681.html, m.gansulong.com/c/012225261952024.html',
  ],
  confidence: 'medium',
  frame: { width: 358, height: 441 },
  // 14–20 KB; some copies give 14–30 KB: that band warns.
  bytes: { min: 14336, max: 20480, warnMin: 14000, warnMax: 30720 },
  background: { colours: [{ id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } }] },
  dpi: 350,
  jpegQuality: 70,
  // Face width 207±14 px; head top 7–21 px; eyes at least 207 px above the bottom edge (so at most 234 from
  // the top). The standard gives no upper bound for the eyes: 120 px is ours (a head top of 7–21 px puts them
  // near 150–170 px for a 207 px face).
  geometry: { unit: 'px', faceWidth: { min: 193, max: 221 }, headTop: { min: 7, max: 21 }, eyeLine: { min: 120, max: 234 } },
  glasses: 'forbidden',
  notes: {
    frame: 'GA 461: 358x441 px',
    bytes: 'copies: 14–20 KB (q70); others 14–30 KB (warn band)',
    background: 'GA 461: pure white',
    dpi: 'GA 461: 350 dpi',
    jpegQuality: 'copies: JPEG quality 70',
    geometry: 'GA 461: face width 207±14 px, head top 7–21 px, eyes ≥ 207 px from the bottom; the eye line\'s lower bound 120 px is ours',
    glasses: 'copies: no glasses that reflect or hide the eyes; ours: glasses fail, as for the notice',
  },
};
