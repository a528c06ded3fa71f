import { defineRule, fail, pass } from '../contract/rule.js';

// EXIF Orientation value -> what a viewer does to the stored pixels.
const TURNS: Record<number, string> = {
  2: 'mirrored', 3: 'rotated180', 4: 'mirrored', 5: 'mirrored', 6: 'rotated90', 7: 'mirrored', 8: 'rotated270',
};

/** The EXIF Orientation tag: upload systems often ignore it and show the photo on its side. */
export default defineRule({
  id: 'image.orientation',
  meta: {
    description: { zh: '没有 EXIF 旋转标记（方向为 1 或无）', en: 'no EXIF rotation (Orientation absent or 1)' },
    messageIds: ['ok', 'rotated90', 'rotated180', 'rotated270', 'mirrored'],
    defaultOptions: {},
  },
  check({ photo }) {
    const raw = photo.exif?.Orientation ?? photo.meta.orientation;
    const orientation = raw === undefined ? 1 : Number(raw);
    // A damaged tag (not a number) turns nothing in viewers; it is shown as it is, not as NaN.
    const shown = Number.isFinite(orientation) ? orientation : String(raw).slice(0, 20);
    const rest = { measured: raw === undefined ? null : shown, expected: 1, data: { orientation: shown } };
    if (orientation === 1 || !(orientation in TURNS)) return pass('ok', rest);
    return fail(TURNS[orientation], rest);
  },
});
