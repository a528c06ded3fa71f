import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Face, FaceAnalysis } from '../src/analysis/face.js';
import type { EdgeFace } from '../src/analysis/face-model.js';
import { defineRule, pass } from '../src/contract/rule.js';
import type { Finding } from '../src/contract/types.js';
import faceCount from '../src/rules/face-count.js';
import facePose from '../src/rules/face-pose.js';
import fileSize from '../src/rules/file-size.js';
import { runCase, testRule } from '../src/testing.js';

/** The face analysis of a photo with one face at the given angles (only what the rules read). */
const oneFace = (angles: Partial<Pick<Face, 'roll' | 'yaw' | 'pitch'>>, extra: Partial<FaceAnalysis> = {}): FaceAnalysis => {
  const face = { roll: 0, yaw: 0, pitch: 0, ...angles } as Face;
  return { faces: [face], main: face, cutAtEdge: [], ignoredSmall: 0, largestWidth: 200, ms: 0, ...extra };
};

test('rule tester: face.pose fails a turned and a tilted head, warns short of the limits, passes a frontal one', async () => {
  await testRule(facePose, {
    valid: [{ name: 'frontal', analyses: { face: oneFace({ roll: 1.2, yaw: -2, pitch: 6 }) } }],
    invalid: [
      { name: 'turned 9° right', analyses: { face: oneFace({ yaw: 9 }) }, expect: [{ status: 'fail', messageId: 'yaw', data: { angle: 9, ok: 5, max: 7.5, direction: 'right' } }] },
      { name: 'turned 6° left', analyses: { face: oneFace({ yaw: -6 }) }, expect: [{ status: 'warn', messageId: 'yaw', data: { angle: 6, ok: 5, max: 7.5, direction: 'left' } }] },
      { name: 'chin down 25°', analyses: { face: oneFace({ pitch: 25 }) }, expect: [{ status: 'fail', messageId: 'pitch', data: { angle: 25, ok: 15, max: 22, direction: 'down' } }] },
      { name: 'chin up 16° and 4° of roll', analyses: { face: oneFace({ roll: -4, pitch: -16 }) },
        expect: [{ status: 'warn', messageId: 'roll' }, { status: 'warn', messageId: 'pitch', measured: { roll: -4, yaw: 0, pitch: -16 } }] },
      { name: 'a stricter profile', options: { yawFail: 4, yawWarn: 2 }, analyses: { face: oneFace({ yaw: 4.5 }) }, expect: [{ status: 'fail', messageId: 'yaw' }] },
      { name: 'no single face', analyses: { face: { ...oneFace({}), faces: [], main: undefined } }, expect: [{ status: 'skip', messageId: 'noSingleFace' }] },
    ],
  });
});

test('rule tester: face.count counts a face cut by the edge; file.size reads only the byte count', async () => {
  const edge: EdgeFace = { side: 'left', width: 150, boxScore: 0.9, faceScore: 1, offset: 0, top: 100, bottom: 260, inside: 75 };
  await testRule(faceCount, {
    valid: [{ name: 'one face', analyses: { face: oneFace({}) } }],
    invalid: [
      { name: 'half a stranger at the left edge', analyses: { face: oneFace({}, { cutAtEdge: [edge] }) }, expect: [{ status: 'fail', messageId: 'cutAtEdge', data: { count: 2, ignored: 0, side: 'left' } }] },
      { name: 'a dog', analyses: { face: { ...oneFace({}), faces: [], main: undefined, unlikeHuman: 0.6 } }, expect: [{ status: 'fail', messageId: 'unlikeHuman' }] },
    ],
  });
  await testRule(fileSize, {
    valid: [{ name: '35 KB', photo: { fileSize: 35_000 } }],
    invalid: [
      { name: '30.0 KB in thousands', photo: { fileSize: 30_200 }, expect: [{ status: 'warn', messageId: 'nearLow' }] },
      { name: '64 KB', photo: { fileSize: 65_536 }, expect: [{ status: 'fail', messageId: 'tooLarge', measured: 65_536 }] },
    ],
  });
});

test('rule tester: a broken rule is caught, not passed (unknown status or messageId, an analysis the case did not prepare)', async () => {
  const broken = (finding: Finding) => defineRule({ id: 'local.broken', meta: { description: { en: '', zh: '' }, messageIds: ['ok'], defaultOptions: {} }, check: () => finding });
  await assert.rejects(runCase(broken({ status: 'failed' as never, messageId: 'ok' }), { name: 'status' }), /returned status "failed"/);
  await assert.rejects(runCase(broken({ status: 'fail', messageId: 'banana' }), { name: 'messageId' }), /messageId "banana", not in meta.messageIds/);
  await assert.rejects(runCase(facePose, { name: 'unprepared' }), /asked for the "face" analysis, which the case does not prepare/);
  // And a valid case that does not pass fails the tester.
  await assert.rejects(testRule(facePose, { valid: [{ name: 'turned', analyses: { face: oneFace({ yaw: 20 }) } }] }), /valid case "turned": face.pose gave fail:yaw/);
  await testRule(defineRule({ id: 'local.fine', meta: { description: { en: '', zh: '' }, messageIds: ['ok'], defaultOptions: {} }, check: () => pass('ok') }), { valid: [{ name: 'always' }] });
});
