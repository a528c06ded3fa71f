import type { Lang, Rule } from '../contract/types.js';
import type { Profile } from '../profiles/types.js';
import { builtinRules, ruleOptions } from '../rules/index.js';
import { ruleDescription } from './localise.js';
import { wrapLines } from './wrap.js';

/** An option as the listing shows it: numbers, short lists (extensions) and the allowed colours, not other structures. */
const listed = (value: unknown) => typeof value === 'number' || (Array.isArray(value) && value.length <= 3 && value.every((item) => typeof item !== 'object' || isColour(item)));
const isColour = (value: unknown): value is { id: string; rgb: number[] } =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && Array.isArray((value as { rgb?: unknown }).rgb);
/** blue(100,197,255) for a colour, .jpg/.jpeg for a list, the number or text itself otherwise. */
const shown = (value: unknown): string => Array.isArray(value) ? value.map(shown).join('/')
  : isColour(value) ? `${value.id}(${value.rgb.join(',')})` : String(value);

const INDENT = 23;

/**
 * `gradphoto rules`: the profile's rules, then the extra rules (--rule), each with what it checks, in
 * `lang` and with the profile's numbers, and its limits (key=value); an extra rule shows the options it runs with.
 */
export function formatRulesListing(profile: Profile, lang: Lang, extra: { rule: Pick<Rule<any>, 'id' | 'meta'>; options: Record<string, unknown> }[] = [], width = 80): string {
  const lines = [`${profile.id}: ${profile.description[lang]}`, ''];
  const entry = (rule: Pick<Rule<any>, 'id' | 'meta'>, options: Record<string, unknown>, note: string, own?: boolean) => {
    const limits = Object.entries(options).filter(([, v]) => listed(v) || (own && typeof v === 'string')).map(([k, v]) => `${k}=${shown(v)}`);
    lines.push(`${rule.id.padEnd(INDENT - 1)} ${ruleDescription(rule, lang, profile, own ? options : undefined)}${note}`);
    // key=value pairs under the description, wrapped to `width` (a pair longer than a line stands alone).
    if (limits.length) lines.push(...wrapLines(limits.join(' '), width - INDENT).map((text) => `${''.padEnd(INDENT)}${text}`));
  };
  for (const [id, setting] of Object.entries(profile.rules)) {
    entry(builtinRules.get(id)!, ruleOptions(profile, id), setting.level === 'off' ? ' (off)' : '');
  }
  for (const { rule, options } of extra) entry(rule, options, ' (--rule)', true);
  return `${lines.join('\n')}\n`;
}
