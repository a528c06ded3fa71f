import type { Lang } from '../contract/types.js';
import { interpolate, uiStrings } from '../i18n/index.js';

/**
 * Why to look at a fixed photo before uploading it although it passes (FixOutcome.review), as the
 * sentence the CLI prints, the library returns and the page shows. Imports no rules: the page's own
 * script uses it.
 */
export function reviewMessage(lang: Lang, advice: { messageId: string; data: Record<string, string | number> }): { messageId: string; message: string } {
  const ui = uiStrings(lang).fix;
  return { messageId: advice.messageId, message: interpolate(ui[advice.messageId as keyof typeof ui] as string ?? advice.messageId, advice.data) };
}
