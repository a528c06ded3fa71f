/** Characters a terminal draws two columns wide: CJK ideographs and punctuation, Hangul, full-width forms. */
export const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/** Columns a terminal gives `text` (no escape sequences in it): a wide character counts two. */
export function columns(text: string): number {
  return [...text].length + (text.match(WIDE) ?? []).length;
}

/**
 * Where a line may break: at spaces, as in English, and before any wide character; opening brackets stay
 * with what follows and closing punctuation with what precedes ("，" never starts a line, "（" never ends one).
 */
const CHUNK = new RegExp(`\\s*[（「『“]*(?:${WIDE.source}|[^\\s${WIDE.source.slice(1, -1)}]+)[，。、；：）」』！？”]*`, 'g');

/** `text` broken greedily into lines of at most `width` columns as measured by `measure` (a longer word stands alone). */
export function wrapLines(text: string, width: number, measure: (text: string) => number = columns): string[] {
  const chunks = text.match(CHUNK);
  if (!chunks) return [''];
  const lines: string[] = [];
  let current = chunks.shift()!;
  for (const chunk of chunks) {
    if (measure(current + chunk) <= width) { current += chunk; continue; }
    lines.push(current);
    current = chunk.trimStart();
  }
  lines.push(current);
  return lines;
}
