import { loadPhotoBytes, type LoadOutcome } from '../core/load.js';
import { checkFile, type ActiveRule } from '../core/run.js';
import type { FileResult, Lang } from '../core/types.js';
import { fixLoaded, type FixOptions, type FixOutcome, type FixRefusal } from './index.js';

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

/** A fix and the check of what it made, judged: what the CLI writes and the library returns. */
export interface CheckedFix {
  status: 'fixed' | 'unchanged' | 'notFixed' | 'refused';
  /** Why fix would not make a photo (status refused). */
  refusal?: FixRefusal;
  /** The photo made, with its steps and encoding (every status but refused). */
  outcome?: FixOutcome;
  /** The made photo checked with the same rules, named `name`. */
  check?: FileResult;
  judgement?: FixJudgement;
}

/** Fix a loaded photo, check the result from memory with `rules`, and judge it. Never writes anything. */
export async function fixAndCheck(loaded: LoadOutcome, name: string, options: FixOptions & { rules: ActiveRule[]; lang: Lang }): Promise<CheckedFix> {
  const made = await fixLoaded(loaded, options);
  if ('messageId' in made) return { status: 'refused', refusal: made };
  const check = await checkFile(name, options.rules, { lang: options.lang, frame: options.profile.frame, loading: loadPhotoBytes(made.jpeg, name) });
  const judgement = judgeFix(check, { backgroundKept: options.background === 'keep' });
  const status = made.unchanged ? 'unchanged' : judgement.fixed ? 'fixed' : 'notFixed';
  return { status, outcome: made, check, judgement };
}
