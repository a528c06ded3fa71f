import { defineRule, fail, pass, round, warn } from '../contract/rule.js';
import { isFinding, singleFace } from './face-shared.js';

export interface EyesOpenOptions {
  /** Eye aspect ratio (lid gap / eye width): open eyes measured 0.28–0.48 on the corpus. */
  warnBelow: number;
  failBelow: number;
}

/** Both eyes open, from the lid gap over the eye width of each eye. */
export default defineRule<EyesOpenOptions>({
  id: 'face.eyes-open',
  meta: {
    description: { zh: '双眼自然睁开', en: 'both eyes open' },
    messageIds: ['ok', 'closed', 'narrow', 'noSingleFace'],
    defaultOptions: { warnBelow: 0.2, failBelow: 0.14 },
  },
  async check({ photo, options }) {
    const found = await singleFace(photo);
    if (isFinding(found)) return found;
    const [a, b] = found.face.eyeOpenness;
    const least = round(Math.min(a, b), 2);
    const rest = { data: { ratio: least, min: options.warnBelow }, measured: { left: round(b, 2), right: round(a, 2) }, expected: { min: options.warnBelow } };
    if (least < options.failBelow) return fail('closed', rest);
    if (least < options.warnBelow) return warn('narrow', rest);
    return pass('ok', rest);
  },
});
