import { DEFAULT_PROFILE, ProfileError, parseProfileText, profileFromData, profileLines, profiles, type Profile, type ProfileData, type ProfileProblem } from '../profiles/index.js';
import type { Rule } from '../contract/types.js';

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/**
 * A profile file's text as the Profile the rules run with: checked against the schema, then its rules
 * (ids and option keys, against the built-in rules' defaultOptions), then compiled over the profile it
 * extends. Every mistake throws one ProfileError listing each, with the key's path and line.
 */
export function profileFromText(text: string, file: string, rules: ReadonlyMap<string, Pick<Rule<any>, 'id' | 'meta'>>): Profile {
  const data = parseProfileText(text, file) as ProfileData;
  const lines = profileLines(text);
  const lineOf = (path: string) => {
    for (let p = path; ; p = p.slice(0, Math.max(0, p.lastIndexOf('.')))) {
      if (lines.has(p)) return lines.get(p)!;
      if (!p) return 1;
    }
  };
  const found: ProfileProblem[] = [];
  for (const [id, setting] of Object.entries(data.rules ?? {})) {
    const rule = rules.get(id);
    if (!rule) { found.push({ path: `rules.${id}`, line: lineOf(`rules.${id}`), message: `no built-in rule "${id}" (gradphoto rules lists them)` }); continue; }
    if (typeof setting === 'string' || !setting.options) continue;
    const defaults = (rule.meta.defaultOptions ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(setting.options)) {
      const path = `rules.${id}.options.${key}`;
      if (!Object.hasOwn(defaults, key)) found.push({ path, line: lineOf(path), message: `${id} has no option "${key}" (it takes ${Object.keys(defaults).join(', ') || 'none'})` });
      else if (kind(value) !== kind(defaults[key])) found.push({ path, line: lineOf(path), message: `must be ${kind(defaults[key])}, not ${kind(value)}` });
    }
  }
  try {
    const profile = profileFromData(data, file, lineOf);
    if (found.length === 0) return profile;
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    found.push(...error.problems);
  }
  throw new ProfileError(file, found.sort((a, b) => a.line - b.line));
}

/** Whether a --profile value names a file rather than a built-in id. */
export const isProfileFile = (value: string): boolean => /\.json$/i.test(value) || /[\\/]/.test(value);

/** --profile named no built-in profile (and no file): its id and the built-in ones, for the reader's language. */
export class UnknownProfileError extends Error {
  constructor(readonly id: string, readonly builtIns: string[]) {
    super(`unknown profile "${id}" (built in: ${builtIns.join(', ')}; or a profile file, name.json)`);
  }
}

/** A built-in profile by id, or an UnknownProfileError naming the built-in ones. */
export function builtinProfile(id: string = DEFAULT_PROFILE): Profile {
  const found = profiles.get(id);
  if (!found) throw new UnknownProfileError(id, [...profiles.keys()]);
  return found;
}
