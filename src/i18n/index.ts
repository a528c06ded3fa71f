import type { Lang, Rule } from '../contract/types.js';
import { en, enUi } from './en.js';
import { zh, zhUi } from './zh.js';

const catalogues: Record<Lang, Record<string, Record<string, string>>> = { en, zh };
const ui = { en: enUi, zh: zhUi };

export type UiStrings = typeof zhUi;

/** Fill `{name}` placeholders from data; unknown names are left visible rather than dropped. */
export function interpolate(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/** The message template for a rule's messageId: built-in catalogues first, then the rule's own messages. */
export function messageTemplate(lang: Lang, rule: Pick<Rule<unknown>, 'id' | 'meta'>, messageId: string): string | undefined {
  return catalogues[lang][rule.id]?.[messageId]
    ?? rule.meta.messages?.[lang]?.[messageId]
    ?? catalogues.en[rule.id]?.[messageId]
    ?? rule.meta.messages?.en?.[messageId]
    ?? rule.meta.messages?.zh?.[messageId];
}

/** file.decode's sentence for why a file cannot be read or decoded (messageId and data), in `lang`. */
export function decodeMessage(lang: Lang, messageId: string, data: Record<string, string | number> = {}): string {
  const template = catalogues[lang]['file.decode']?.[messageId] ?? catalogues.en['file.decode']?.[messageId];
  return template ? interpolate(template, localiseWords(lang, data)) : (ui[lang].reasons as Record<string, string>)[messageId] ?? messageId;
}

/**
 * Rules put a few plain words into their data (directions, colour names) as language-neutral tokens;
 * messages show them in the reader's language. "dark blue" becomes "深蓝色" word by word.
 */
export function localiseWords(lang: Lang, data: Record<string, string | number> = {}): Record<string, string | number> {
  const words = ui[lang].words as Record<string, string>;
  const reasons = ui[lang].reasons as Record<string, string>;
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(data)) {
    // A `reason` that is one of file.decode's messageIds reads as a phrase, not as the raw id.
    if (key === 'reason' && typeof value === 'string' && Object.hasOwn(reasons, value)) { out[key] = reasons[value]; continue; }
    // A path is a name, never words: a folder called "left" stays "left".
    if (key === 'path') { out[key] = value; continue; }
    if (typeof value !== 'string' || !/^[a-zA-Z]+( [a-zA-Z]+)?$/.test(value)) { out[key] = value; continue; }
    const parts = value.split(' ');
    out[key] = parts.every((part) => part in words) ? parts.map((part) => words[part]).join(lang === 'zh' ? '' : ' ') : value;
  }
  return out;
}

/** A count's data for a template, with {s} for English plurals ("1 file", "2 files"). */
export function counted<T extends { total: number }>(data: T): T & { s: string } {
  return { ...data, s: data.total === 1 ? '' : 's' };
}

/** A rule's short name in `lang` for reports people read; an extra rule's id stays as it is. */
export function ruleName(lang: Lang, id: string): string {
  return (ui[lang].ruleNames as Record<string, string>)[id] ?? id;
}

export function uiStrings(lang: Lang): UiStrings {
  return ui[lang];
}

/** `--lang` wins; otherwise English when LANG (or LC_ALL/LC_MESSAGES) starts with "en"; else Chinese. */
export function pickLang(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export const builtinCatalogues = catalogues;
