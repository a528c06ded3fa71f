import type { FileResult } from '../contract/types.js';

/**
 * Rules whose failure after a fix is fix's own failure: it crops, scales, replaces the background and
 * encodes, so a result that fails any of these was not fixed, whatever was written. The other rules
 * (glasses, ears, fringe, eyes, pose, light, clothes...) describe the person or the shot: a retake.
 */
export const FIX_RESPONSIBLE: ReadonlySet<string> = new Set([
  'file.decode', 'file.format', 'file.trailing-data', 'file.size',
  'image.dimensions', 'image.color', 'image.orientation', 'image.dpi', 'image.jpeg-quality',
  'face.count', 'face.size', 'face.position',
  'background.color', 'background.uniform',
]);

export interface FixJudgement {
  /** True when the result passes every rule fix is responsible for. */
  fixed: boolean;
  /** Failing rules that fix should have mended. */
  notMended: string[];
  /** Failing rules only a new photo can mend. */
  retake: string[];
}

/** Judge a fixed photo by its re-check. With the background kept (--background keep), the background is the user's choice, not fix's failure. */
export function judgeFix(check: FileResult, options: { backgroundKept?: boolean } = {}): FixJudgement {
  const failing = check.checks.filter((c) => c.status === 'fail').map((c) => c.rule);
  const ours = (rule: string) => FIX_RESPONSIBLE.has(rule) && !(options.backgroundKept && rule.startsWith('background.'));
  const notMended = [...new Set(failing.filter(ours))];
  const retake = [...new Set(failing.filter((rule) => !ours(rule)))];
  return { fixed: check.verdict !== 'error' && notMended.length === 0, notMended, retake };
}
