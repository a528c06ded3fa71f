import { loadRuleModules } from '../core/plugins.js';
import { builtinRules } from '../rules/index.js';
import { profiles, type Profile } from '../profiles/index.js';
import type { AdmissionReference } from '../rules/admission-different.js';
import { checkFile, crashedResult, errorResult, resolveRules, type ActiveRule } from '../core/run.js';
import { describeThrown } from '../contract/rule.js';
import { DEFAULT_LIMITS, loadPhoto, type LoadOutcome } from '../core/load.js';
import { fsPathOf, type Target } from './discover.js';
import type { FileResult, Lang, Photo, PhotoOutputs, PhotoPictures } from '../contract/types.js';

/** Everything a checker (main thread or worker) needs to set itself up: plain data, so it crosses threads. */
export interface CheckSetup {
  profileId: string;
  /** The profile itself, when it is not a built-in one (a profile file): plain data, it crosses threads. */
  profile?: Profile;
  /** The language of what photoOutputs draws (annotation legends); results themselves carry no words. */
  lang: Lang;
  rulePaths: string[];
  /** How long a --rule module's check may take on one photo (ms); plugins.ts's RULE_TIME_LIMIT_MS unless given. */
  ruleTimeLimitMs?: number;
  /** Options for the --rule rules, by rule id (already checked by extraRuleOptions). */
  ruleOptions?: Record<string, Record<string, unknown>>;
  disabled: string[];
  /** Make a thumbnail and an overlay per photo (HTML report). */
  pictures: boolean;
  annotateDir?: string;
  /** URL of a module whose default export (PhotoOutputs) draws what `pictures` and `annotateDir` ask for. */
  photoOutputs?: string;
  /** --admission-photo: turns admission.different on with these references. */
  admission?: AdmissionSetup;
}

/** Admission photos by the path of the photo checked, or '*' for one photo for all; the folder and keys looked for. */
export interface AdmissionSetup {
  references: Record<string, AdmissionReference>;
  folder?: string;
  lookedFor?: Record<string, string[]>;
}

export interface Task {
  index: number;
  target: Target;
  /** File name for the annotation, chosen by the coordinator so names never collide across workers. */
  annotationName?: string;
}

export interface TaskResult {
  index: number;
  result: FileResult;
  pictures?: PhotoPictures;
  warning?: string;
}

/** Checks one task at a time; `prefetch` starts reading and decoding the task to be checked next. */
export interface Checker {
  (task: Task): Promise<TaskResult>;
  prefetch(task: Task): void;
}

/** Builds the rules once, then checks one task at a time. Used in-process and by each worker thread. */
export async function makeChecker(setup: CheckSetup): Promise<Checker> {
  const profile = setup.profile ?? profiles.get(setup.profileId);
  if (!profile) throw new Error(`unknown profile ${setup.profileId}`);
  const rules: ActiveRule[] = resolveRules(profile, builtinRules, await loadRuleModules(setup.rulePaths, setup.ruleTimeLimitMs), setup.disabled, setup.ruleOptions);
  const admission = builtinRules.get('admission.different');
  if (setup.admission && admission && !setup.disabled.includes(admission.id)) {
    rules.push({ rule: admission, level: 'error', options: { ...admission.meta.defaultOptions, ...profile.rules[admission.id]?.options, ...setup.admission } });
  }
  const outputs = setup.photoOutputs ? (await import(setup.photoOutputs) as { default: PhotoOutputs }).default : undefined;
  // Reading and decoding (file I/O and libvips, off the JS thread) of the next photo overlap the checking of
  // this one, so a thread does not sit idle waiting for its next decode. At most one photo ahead.
  const ahead = new Map<number, Promise<LoadOutcome>>();
  const check = async (task: Task): Promise<TaskResult> => {
    const { target } = task;
    if ('failure' in target) return { index: task.index, result: errorResult(target.path, target.failure.messageId, target.failure.data) };
    let pictures: PhotoPictures | undefined;
    let warning: string | undefined;
    const onPhoto = outputs && (setup.pictures || setup.annotateDir) ? async (photo: Photo, result: FileResult) => {
      try {
        const made = await outputs(photo, result, { profileId: setup.profileId, profile, lang: setup.lang, pictures: setup.pictures, annotateDir: setup.annotateDir, annotationName: task.annotationName });
        pictures = made.pictures;
      } catch (error) {
        warning = `could not draw ${photo.path}: ${describeThrown(error)}`;
      }
    } : undefined;
    const loading = ahead.get(task.index) ?? loadPhoto(target.path, DEFAULT_LIMITS, fsPathOf(target));
    ahead.delete(task.index);
    try {
      const result = await checkFile(target.path, rules, { frame: profile.frame, onPhoto, loading });
      return { index: task.index, result, pictures, warning };
    } catch (error) {
      // A bug of gradphoto's with one photo: that photo is an error in the report; the batch goes on.
      return { index: task.index, result: crashedResult(target.path, describeThrown(error)) };
    }
  };
  return Object.assign(check, {
    prefetch(task: Task) {
      if ('failure' in task.target || ahead.has(task.index)) return;
      const loading = loadPhoto(task.target.path, DEFAULT_LIMITS, fsPathOf(task.target));
      loading.catch(() => undefined); // loadPhoto reports failures as outcomes; never leave a rejection unhandled
      ahead.set(task.index, loading);
    },
  });
}
