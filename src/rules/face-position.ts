import { defaultProfileOptions } from '../profiles/index.js';
import { defineRule, fail, pass, round, skip, warn } from '../contract/rule.js';
import type { Finding } from '../contract/types.js';
import { headTopOf } from '../analysis/person.js';
import { frameScale, isFinding, singleFace } from './face-shared.js';

export interface FacePositionOptions {
  headTopMin: number;
  headTopMax: number;
  eyeLineMin: number;
  eyeLineMax: number;
  /** Largest allowed distance of the face centre from the frame's centre line, px. */
  maxCentreOffset: number;
  /** Measurement tolerance, px: this close outside a range warns instead of failing. */
  tolerance: number;
}

/** Head top, eye line and horizontal centring, each in pixels of the profile's frame. */
export default defineRule<FacePositionOptions>({
  id: 'face.position',
  meta: {
    description: { zh: '头顶距上边 {headTopMin}–{headTopMax} 像素，双眼距上边 {eyeLineMin}–{eyeLineMax} 像素，人像居中', en: 'head top {headTopMin}–{headTopMax} px and eyes {eyeLineMin}–{eyeLineMax} px from the top, face centred' },
    messageIds: ['ok', 'headTooHigh', 'headTooLow', 'headCut', 'headTopUnknown', 'eyesTooHigh', 'eyesTooLow', 'offCentre', 'noSingleFace'],
    defaultOptions: defaultProfileOptions<FacePositionOptions>('face.position'),
  },
  async check({ photo, options, frame }) {
    const found = await singleFace(photo);
    if (isFinding(found)) return found;
    const { face } = found;
    const top = await headTopOf(photo);
    const scale = frameScale(photo, frame);
    const headTop = top ? round(top.y * scale) : null;
    const eyeLine = round(face.eyeLineY * scale);
    const centreOffset = round(face.centreX * scale - frame.width / 2);
    const measured = { headTop, eyeLine, centreOffset, headCut: top?.cut ?? false };
    const expected = {
      headTop: { min: options.headTopMin, max: options.headTopMax },
      eyeLine: { min: options.eyeLineMin, max: options.eyeLineMax },
      centreOffset: { max: options.maxCentreOffset },
    };
    const data = {
      headTop: headTop ?? '?', eyeLine, centreOffset, offset: Math.abs(centreOffset), side: centreOffset > 0 ? 'right' : 'left',
      headTopMin: options.headTopMin, headTopMax: options.headTopMax,
      eyeLineMin: options.eyeLineMin, eyeLineMax: options.eyeLineMax, maxCentreOffset: options.maxCentreOffset,
    };
    const rest = { data, measured, expected };
    const findings: Finding[] = [];
    // Within `tolerance` of a bound is within measurement error: warn rather than fail.
    const outside = (by: number) => (by <= options.tolerance ? warn : fail);
    if (top?.cut) findings.push(fail('headCut', rest));
    else if (headTop === null) findings.push(skip('headTopUnknown', rest));
    else if (headTop < options.headTopMin) findings.push(outside(options.headTopMin - headTop)('headTooHigh', rest));
    else if (headTop > options.headTopMax) findings.push(outside(headTop - options.headTopMax)('headTooLow', rest));
    if (eyeLine < options.eyeLineMin) findings.push(outside(options.eyeLineMin - eyeLine)('eyesTooHigh', rest));
    else if (eyeLine > options.eyeLineMax) findings.push(outside(eyeLine - options.eyeLineMax)('eyesTooLow', rest));
    const offset = Math.abs(centreOffset);
    if (offset > options.maxCentreOffset) findings.push((offset > 2 * options.maxCentreOffset ? fail : warn)('offCentre', rest));
    return findings.length > 0 ? findings : pass('ok', rest);
  },
});
