import type { ProfileData } from '../types.js';

/** 研招网 (the graduate entrance exam): a 3:4 photo of any size, eyes at 30–50 % of the height, no glasses. */
export const yanzhao: ProfileData = {
  id: 'yanzhao',
  extends: 'ouc-graduate',
  name: { zh: '研招网（全国硕士研究生招生考试）报名照片', en: 'Graduate entrance exam (yz.chsi.com.cn) photo' },
  sources: ['iverson3.cn/xuelitisheng/141012; m.xueti.com/xueli/148878.html'],
  confidence: 'medium',
  // No pixel size: 3:4 at any size; fix makes 480x640 (ours).
  frame: { width: { min: 240 }, height: { min: 320 }, aspect: [3, 4], target: { width: 480, height: 640 } },
  bytes: { min: 10240, max: 10485760 },
  background: {
    colours: [
      { id: 'white', rgb: [255, 255, 255], name: { zh: '白色', en: 'white' } },
      { id: 'blue', rgb: [100, 197, 255], name: { zh: '浅蓝色', en: 'light blue' } },
    ],
  },
  dpi: null,
  // Eyes at 30–50 % of the height from the top; head and shoulders about 2/3 of the frame: face width
  // 0.35–0.65 of the width and head top 0.03–0.2 of the height are ours.
  geometry: { unit: 'fraction', faceWidth: { min: 0.35, max: 0.65 }, headTop: { min: 0.03, max: 0.2 }, eyeLine: { min: 0.3, max: 0.5 } },
  glasses: 'forbidden',
  // Turn and tilt within ±10°.
  rules: { 'face.pose': { options: { rollWarn: 6, rollFail: 10 } } },
  notes: {
    frame: 'sources: 3:4, no pixel size; the 240x320 minimum and the 480x640 fix makes are ours',
    bytes: 'sources: up to 10 MB; the 10 KB minimum is ours (below it a photo is too compressed)',
    background: 'sources: white or blue, set by each exam site',
    dpi: 'sources: none asked',
    geometry: 'sources: eyes at 30–50 % of the height, head and shoulders about 2/3; the face and head-top bands are ours',
    glasses: 'sources: no glasses, contact lenses or coloured lenses',
    'face.pose': 'sources: turn and tilt within ±10°',
  },
};
