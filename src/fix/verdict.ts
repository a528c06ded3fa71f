import { loadPhotoBytes, type LoadOutcome } from '../core/load.js';
import { checkFile, type ActiveRule } from '../core/run.js';
import type { FileResult } from '../contract/types.js';
import { fixLoaded, type FixOptions, type FixOutcome, type FixRefusal } from './index.js';
import { judgeFix, type FixJudgement } from './responsible.js';

export { FIX_RESPONSIBLE, judgeFix, type FixJudgement } from './responsible.js';

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
export async function fixAndCheck(loaded: LoadOutcome, name: string, options: FixOptions & { rules: ActiveRule[] }): Promise<CheckedFix> {
  const made = await fixLoaded(loaded, options);
  if ('messageId' in made) return { status: 'refused', refusal: made };
  const check = await checkFile(name, options.rules, { frame: options.profile.frame, loading: loadPhotoBytes(name, made.jpeg) });
  const judgement = judgeFix(check, { backgroundKept: options.background === 'keep' });
  const status = made.unchanged ? 'unchanged' : judgement.fixed ? 'fixed' : 'notFixed';
  return { status, outcome: made, check, judgement };
}
