import { defineRule, grade, graded, pass, round } from '../contract/rule.js';
import type { Finding } from '../contract/types.js';
import { isFinding, singleFace } from './face-shared.js';

export interface FacePoseOptions {
  /** Degrees: beyond warn -> warn, beyond fail -> fail. */
  rollWarn: number;
  rollFail: number;
  yawWarn: number;
  yawFail: number;
  pitchWarn: number;
  pitchFail: number;
}

/** Head roll (from the pupil line), yaw and pitch. */
export default defineRule<FacePoseOptions>({
  id: 'face.pose',
  meta: {
    description: { zh: '头部端正：双眼连线水平，不侧转、不仰头低头', en: 'head level and facing the camera (pupil line level, no turn or tilt)' },
    messageIds: ['ok', 'roll', 'yaw', 'pitch', 'noSingleFace'],
    defaultOptions: { rollWarn: 3, rollFail: 6, yawWarn: 5, yawFail: 7.5, pitchWarn: 15, pitchFail: 22 },
  },
  async check({ photo, options }) {
    const found = await singleFace(photo);
    if (isFinding(found)) return found;
    const { face } = found;
    const roll = round(face.roll);
    const yaw = round(face.yaw);
    const pitch = round(face.pitch);
    const measured = { roll, yaw, pitch };
    const expected = { roll: { max: options.rollFail }, yaw: { max: options.yawFail }, pitch: { max: options.pitchFail } };
    const findings: Finding[] = [];
    const judge = (messageId: string, value: number, warnAt: number, failAt: number, extra: Record<string, string | number>) => {
      const status = grade(Math.abs(value), { warn: warnAt, fail: failAt });
      if (status) findings.push(graded(status, messageId, { data: { angle: round(Math.abs(value)), ok: warnAt, max: failAt, ...extra }, measured, expected }));
    };
    // Positive roll: the line from the picture's left eye to its right eye goes down.
    judge('roll', roll, options.rollWarn, options.rollFail, { direction: roll > 0 ? 'right' : 'left' });
    judge('yaw', yaw, options.yawWarn, options.yawFail, { direction: yaw > 0 ? 'right' : 'left' });
    judge('pitch', pitch, options.pitchWarn, options.pitchFail, { direction: pitch > 0 ? 'down' : 'up' });
    return findings.length > 0 ? findings : pass('ok', { data: { roll, yaw, pitch }, measured, expected });
  },
});
