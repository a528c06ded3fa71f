import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { builtinProfile, isProfileFile, profileFromText } from '../core/profile-file.js';
import type { Profile } from '../profiles/index.js';
import { builtinRules } from '../rules/index.js';

export const CONFIG_NAME = 'gradphoto.config.json';

/** What a centre writes once in gradphoto.config.json beside its photos. */
export interface Config {
  /** A built-in profile id, or a profile file (relative to the config file). */
  profile?: string;
  /** Rule ids turned off, as --disable. */
  disable?: string[];
}

const exists = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/**
 * The gradphoto.config.json that applies to `path`: in its folder (the folder itself for a folder), else
 * in a parent folder, going up no further than the working directory (a path outside it: its own folder only).
 */
export async function findConfig(path: string, cwd = process.cwd()): Promise<string | undefined> {
  const full = resolve(cwd, path);
  let dir = await stat(full).then((s) => (s.isDirectory() ? full : dirname(full)), () => dirname(full));
  const inside = (d: string) => { const r = relative(cwd, d); return r === '' || (!r.startsWith('..') && !isAbsolute(r)); };
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    if (await exists(candidate)) return candidate;
    if (!inside(dir) || dir === cwd || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/** Read and check a config file; a mistake throws, naming the file and the key. */
export async function readConfig(file: string): Promise<Config> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: must be an object like {"profile": "ouc-graduate", "disable": ["face.glasses"]}`);
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['profile', 'disable', '$schema'].includes(key)) throw new Error(`${file}: unknown key "${key}" (it takes profile, disable)`);
  }
  if (config.profile !== undefined && typeof config.profile !== 'string') throw new Error(`${file}: "profile" must be a profile id or a file name`);
  if (config.disable !== undefined && !(Array.isArray(config.disable) && config.disable.every((id) => typeof id === 'string'))) {
    throw new Error(`${file}: "disable" must be a list of rule ids, like ["face.glasses"]`);
  }
  return { profile: config.profile as string | undefined, disable: config.disable as string[] | undefined };
}

/** A profile by built-in id or file path (relative to `base`). A mistake throws, naming the file, the key and the line. */
export async function loadProfile(value: string, base = process.cwd()): Promise<Profile> {
  if (!isProfileFile(value)) return builtinProfile(value);
  const file = resolve(base, value);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ENOENT' ? `profile file ${value} not found` : `cannot read profile file ${value}: ${error.message}`);
  });
  return profileFromText(text, value, builtinRules);
}

/**
 * The profile and disabled rules a run uses: --profile over the config's profile over the default;
 * the config's disabled rules and --disable's together. `configFile` is the config found, if any.
 */
export async function settingsFor(paths: string[], flags: { profile?: string; disable: string[] }, cwd = process.cwd()): Promise<{ profile: Profile; disable: string[]; configFile?: string }> {
  const found = [...new Set(await Promise.all(paths.filter((p) => p !== '-').map((p) => findConfig(p, cwd))))];
  const configs = found.filter((f): f is string => f !== undefined);
  if (configs.length > 1 || (configs.length === 1 && found.length > 1)) {
    throw new Error(`the photos are under different ${CONFIG_NAME} files (${found.map((f) => f ?? 'none').join(', ')}): check them separately`);
  }
  const configFile = configs[0];
  const config = configFile ? await readConfig(configFile) : {};
  const profile = flags.profile !== undefined ? await loadProfile(flags.profile, cwd)
    : config.profile !== undefined ? await loadProfile(config.profile, dirname(configFile!)).catch((error: Error) => { throw new Error(`${configFile}: ${error.message}`); })
      : builtinProfile();
  return { profile, disable: [...new Set([...(config.disable ?? []), ...flags.disable])], configFile };
}
