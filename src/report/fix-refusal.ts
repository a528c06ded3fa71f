import type { Lang } from '../contract/types.js';
import { interpolate, localiseWords, messageTemplate, uiStrings } from '../i18n/index.js';
import { builtinRules } from '../rules/index.js';

/**
 * Why fix would not make a photo, as the sentence the CLI prints and the library returns. A file that
 * cannot be read or decoded is told in file.decode's own words (HEIC export steps and so on).
 */
export function refusalMessage(lang: Lang, messageId: string, data: Record<string, string | number>, path: string): string {
  const ui = uiStrings(lang).fix;
  const decodeRule = builtinRules.get('file.decode');
  const decodeTemplate = (messageId === 'unreadable' || messageId === 'undecodable') && decodeRule
    ? messageTemplate(lang, decodeRule, String(data.reason)) : undefined;
  const reason = decodeTemplate ? interpolate(decodeTemplate, { path, format: '?', ...data })
    : interpolate(ui[messageId as keyof typeof ui] as string ?? messageId, localiseWords(lang, data));
  return interpolate(ui.refused, { reason });
}
