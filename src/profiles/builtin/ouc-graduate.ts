import type { ProfileData } from '../types.js';

/**
 * The Open University of China graduate photo notice (this project's seed) and the national diploma photo
 * standard it rests on (../shared/SPEC.md lists the sources). The default profile: every other built-in
 * extends it, so the calibration of the heuristic rules (pose, eyes, glasses, ears...) lives here once.
 * Numbers here are data: change them here, not in rules.
 */
export const oucGraduate: ProfileData = {
  id: 'ouc-graduate',
  name: {
    zh: '国家开放大学毕业生图像采集（学信网毕业证书电子注册照片）',
    en: 'Open University of China graduate photo (CHSI diploma registration photo)',
  },
  sources: [
    'Open University of China graduate photo notice (国家开放大学毕业生图像采集): 480x640, JPG 30–40 KB, blue, glasses off',
    '教毕指[2017]9号 national diploma photo standard, as self-study exam offices quote it (jmdrkj.cn/227978.html, liuxue86.com): 300 dpi, 24-bit, quality ≥ 60, head top 50–110 px, eyes 200–300 px, face width 180–300 px',
  ],
  confidence: 'high',
  frame: { width: 480, height: 640 },
  // notice: "30K–40K". 30 KiB = 30720 B lower bound; 40000 B upper (ImageMagick's "40kb" is 40000 B too);
  // the 30000–30719 and 40001–40960 bands depend on how the uploader counts a K: warn.
  bytes: { min: 30720, max: 40000, warnMin: 30000, warnMax: 40960 },
  // notice: blue background; standard reference light blue RGB(100,197,255); CIEDE2000 limits are ours (tunable).
  background: { colours: [{ id: 'blue', rgb: [100, 197, 255], name: { zh: '浅蓝色', en: 'light blue' } }], tolerance: 15, warnTolerance: 30 },
  // standard: 300 dpi (a tag only: warn).
  dpi: 300,
  // standard: JPEG quality factor >= 60.
  jpegQuality: 60,
  // standard: face width (cheek to cheek) 180–300 px; head top 50–110 px, eyes 200–300 px from the top edge.
  // Centring has no number in the standard: off by more than 24 px (5% of the width) warns, 48 fails.
  geometry: { unit: 'px', faceWidth: { min: 180, max: 300 }, headTop: { min: 50, max: 110 }, eyeLine: { min: 200, max: 300 }, maxCentreOffset: 24 },
  glasses: 'forbidden',
  notes: {
    frame: 'the notice: 480 px wide x 640 px high',
    bytes: 'the notice: "30K–40K"; the bands 30000–30719 and 40001–40960 B warn (a K of 1000 or 1024 B)',
    background: 'the notice: blue; the reference light blue RGB(100,197,255) is the national standard\'s; the ΔE2000 tolerances are ours',
    dpi: 'the national standard: 300 dpi',
    jpegQuality: 'the national standard: quality factor ≥ 60',
    geometry: 'the national standard: head top 50–110 px, eyes 200–300 px, face width 180–300 px; centring ours',
    glasses: 'the notice: glasses off',
  },
  rules: {
    'file.decode': {},
    // notice: "JPG"; baseline is what the standard's own samples use, progressive only warns.
    'file.format': { options: { extensions: ['.jpg', '.jpeg'], progressive: 'warn' } },
    // SPEC file.trailing-data: padding to hit a size is refused by some uploaders.
    'file.trailing-data': { options: { maxBytes: 8 } },
    'file.size': {},
    'image.dimensions': { options: { aspectTolerance: 0.01 } },
    // standard: 24-bit true colour.
    'image.color': { options: { minMeanChroma: 3 } },
    'image.orientation': {},
    'image.dpi': {},
    'image.jpeg-quality': {},
    // standard: one person only; faces far smaller than the main one (people far behind) are ignored.
    'face.count': {},
    'face.size': {},
    // Within 10 px outside a range warns (measurement tolerance).
    'face.position': { options: { tolerance: 10 } },
    // review rejections name the pupil line; ICAO 9303 allows about ±8° roll and ±5° yaw/pitch. The model's
    // pitch reads up to +15° on frontal corpus faces, so that limit is wider. Its yaw is compressed: a head
    // turned 20–30° (wild/if_d2) reads 8.2°, frontal-labelled faces at most 6.6° (the whole corpus, 2026-11-30):
    // fail above 7.5, warn above 5.
    'face.pose': { options: { rollWarn: 3, rollFail: 6, yawWarn: 5, yawFail: 7.5, pitchWarn: 15, pitchFail: 22 } },
    // open eyes measured 0.20–0.48 lid gap / eye width on the 59 corpus faces (2026-11-29, lids from the iris model;
    // the 0.20 is a squint behind tinted glasses, glasses/with/6).
    'face.eyes-open': { options: { warnBelow: 0.2, failBelow: 0.14 } },
    // notice: glasses off. Bridge-edge ratio calibrated on shared/photos/glasses (with: 1.3–14.9, without: at most 1.8,
    // other corpus faces at most 2.0); a weaker bridge edge fails too when a lens's lower-rim edge under the eyes is
    // strong (with glasses 4.1–19; no-glasses faces at most 3.6). Re-measured 2026-11-29 once both irises were placed
    // right (Human 3.3.6 mirrored one of them). The combined cue needs a bridge edge of 1.75: on the whole corpus
    // (2026-11-30) the only lower rim over 5 without glasses (deep eye bags, wild/df_img37) has a bridge of 1.54,
    // the weakest-bridged glasses with a strong lower rim 1.97.
    'face.glasses': { options: { bridgeFail: 2.6, bridgeWarn: 1.95, tintedFail: 45, lowerRimFail: 5, rimBridgeMin: 1.75 } },
    // standard: hair must not cover the ears; share of skin beside each cheek (heuristic, calibrated on the corpus).
    // With the person matte (the usual case): a side is hidden when ≥ 93% of the region beside the cheek is
    // person and < 35% of it is skin (< 50%: warn). Corpus: hidden ears 0–20% skin at 100% person; visible
    // ears either show backdrop (person 20–91%) or 63–93% skin. Person ≥ 50% with < 25% skin warns (a bob over
    // the ears, or a turned head's far ear: visible-labelled photos 21–23% at 58–89% person). Without a matte:
    // skin share 5% / 12%.
    'face.ears-visible': { options: { failBelow: 0.05, warnBelow: 0.12, coveredAbove: 0.93, skinFailBelow: 0.35, skinWarnBelow: 0.5, partlyAbove: 0.5, partlySkinBelow: 0.25 } },
    // notice: forehead visible; share of the forehead that is not skin-coloured.
    // With the person's own hair colour (sampled on the crown): fringes 41–43% of the forehead hair-coloured,
    // bare foreheads 0–3% (receding, bright, framed). Without a sample (hair like the skin, head cut or not
    // found): the older not-skin share, which reads up to 75% on bare, brightly lit foreheads and 83–100% on
    // fringes (the example's light fringe 83%): fails above 80%, warns above 35%.
    'face.forehead-visible': { options: { failAbove: 0.8, warnAbove: 0.35, hairFailAbove: 0.25, hairWarnAbove: 0.12 } },
    // A near blue must also keep most of the reference's colourfulness: a grey-teal wall RGB(107,157,180) is ΔE 13.6
    // from it but has 49% of its chroma (fails below 55%, warns below 70%).
    'background.color': { options: { minShare: 0.05, chromaWarn: 0.7, chromaFail: 0.55 } },
    // standard: even, no gradient, no shadow, no objects. Limits calibrated on the corpus (plain studio
    // backgrounds measure residual 2–4, gradient under 6; the gradient/vignette ID photos 67–86).
    // objects: share of the frame the person matte calls backdrop and the backdrop's colour surface does not
    // explain. Plain studio, London-set and ID backdrops measured 0–0.22 %, the gradient-and-bun ID photo 2.1 %,
    // the half-replaced grey backdrop 1.8 %, flags, offices and curtains 5–33 % (npm run eval; calibration in the fix-matting issue's note).
    'background.uniform': { options: { residualWarn: 5, residualFail: 8, gradientWarn: 12, gradientFail: 25, patchWarn: 10, patchFail: 20, objectsWarn: 0.006, objectsFail: 0.015 } },
    // standard: clothes clearly different from the background (the "black edge" check). CIEDE2000, ours.
    'clothing.contrast': { options: { failBelow: 8, warnBelow: 15 } },
    // notice: a collar (有领). Warn only. Bare skin beside the neck under the jaw: london/ T-shirts 41–100%
    // (7 of 8 above 50%), collared good/ and id/ photos 11–48%, one blouse collar 55%. A heuristic.
    'clothing.collar': { options: { bareAbove: 0.5 } },
    // notice: sharp, no blur; Laplacian variance at a 240 px face (research Q01: warn 50–100, fail < 50; calibrated lower).
    'image.sharpness': { options: { failBelow: 40, warnBelow: 80 } },
    // standard: even light, no highlights; limits from the research tables Q03/Q04.
    // Dark: a face under L* 35 fails when nothing in the picture is bright either (the 99th-percentile L* at most 75:
    // the shot lacks light; half the light on a face at L* 60 gives 30–37 with the scene at 45–66); under 25 always.
    // Deep skin in good light reads 30–45 with a bright backdrop and only warns. Blown: L* ≥ 97 on the face (fair,
    // brightly lit skin read 25% "blown" when one channel at 250 counted).
    'image.exposure': { options: { lightnessMin: 25, lightnessDarkScene: 35, sceneBrightMin: 75, lightnessMax: 90, lightnessWarnMin: 40, lightnessWarnMax: 85, clippedWarn: 0.02, clippedFail: 0.05, sidesWarn: 14, sidesFail: 22 } },
    // notice: 不可化浓妆 (no heavy makeup). Warn only. Lip chroma above the cheeks' skin chroma: strong lipstick
    // on the corpus 30–44 (judged by eye: five red-carpet and one bright-lipstick photo), natural or lightly
    // tinted lips at most 24. Eyelid darkness and colour were measured too and did not tell eyeshadow from deep-set eyes.
    'face.makeup': { options: { lipChromaWarn: 27 } },
    // notice: no over-beautification. Warn only: cheek texture below 0.025 of the eyes' (beautified corpus photos 0.011–0.022, plain camera photos 0.05–0.3).
    'image.retouch': {},
    // notice: the graduation photo must not be the admission photo. Runs only with --admission-photo.
    // Measured: the same picture cropped/resized/re-encoded differs by 4–8 hash bits and 0.012–0.037 eye
    // (0.047 at 240x320, quality 60) distances of landmark layout; another photo of the same person 10 bits / 0.061; other people 20–30 / 0.09–0.12.
    'admission.different': { level: 'off', options: { maxHashDistance: 8, maxLandmarkDistance: 0.055, similarHashDistance: 12 } },
  },
};
