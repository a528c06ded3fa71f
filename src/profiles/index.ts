import { cetNcre } from './builtin/cet-ncre.js';
import { chsiGraduate } from './builtin/chsi-graduate.js';
import { idCard } from './builtin/id-card.js';
import { oucGraduate } from './builtin/ouc-graduate.js';
import { passport } from './builtin/passport.js';
import { socialSecurity } from './builtin/social-security.js';
import { yanzhao } from './builtin/yanzhao.js';
import { compileProfile } from './compile.js';
import type { Profile, ProfileData } from './types.js';
import { checkProfileValue, ProfileError } from './validate.js';

/** The built-in profiles as data (each checked against the published schema), default first. */
export const builtinProfileData: readonly ProfileData[] = [oucGraduate, chsiGraduate, idCard, socialSecurity, passport, cetNcre, yanzhao];

export const DEFAULT_PROFILE = oucGraduate.id;

const compiled = new Map<string, Profile>();
for (const data of builtinProfileData) {
  checkProfileValue(data, `built-in profile ${data.id}`);
  const base = data.extends ? compiled.get(data.extends) : undefined;
  if (data.extends && !base) throw new Error(`built-in profile ${data.id} extends ${data.extends}, which is not built in before it`);
  compiled.set(data.id, compileProfile(data, base));
}
export const profiles: ReadonlyMap<string, Profile> = compiled;
/** The default profile (ouc-graduate), compiled. */
export const defaultProfile: Profile = compiled.get(DEFAULT_PROFILE)!;

/**
 * A profile file's data as the Profile the rules run with: on the built-in it extends (the default
 * profile when it names none). The data must already be checked against the schema.
 */
export function profileFromData(data: ProfileData, file: string, lineOf?: (path: string) => number): Profile {
  const baseId = data.extends ?? DEFAULT_PROFILE;
  const base = profiles.get(baseId);
  if (!base) throw new ProfileError(file, [{ path: 'extends', line: lineOf?.('extends') ?? 1, message: `"${baseId}" is not a built-in profile (built in: ${[...profiles.keys()].join(', ')})` }]);
  return compileProfile(data, base, file, lineOf);
}

/**
 * A built-in rule's defaultOptions: the default profile's numbers for it, so that no limit of a standard
 * is written twice (a rule file holds logic; the profile holds the numbers and their sources).
 */
export function defaultProfileOptions<O>(ruleId: string): O {
  const options = profiles.get(DEFAULT_PROFILE)?.rules[ruleId]?.options;
  if (!options) throw new Error(`the default profile gives no options for ${ruleId}`);
  return structuredClone(options) as O;
}

export { compileProfile } from './compile.js';
export { ProfileError, checkProfileValue, parseProfileText, profileLines, type ProfileProblem } from './validate.js';
export { profileSchema } from './schema.js';
export type { ColourData, Confidence, FrameRange, Profile, ProfileData, RuleSetting, RuleLevel } from './types.js';
