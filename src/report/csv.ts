import { uiStrings } from '../i18n/index.js';
import type { Lang, RunResult } from '../core/types.js';

/** A cell that Excel shows as text: quoted, quotes doubled, and formulas defused (=, +, -, @ at the start). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * One row per photo: verdict, failing and warning rules (ids), and the messages. UTF-8 with a BOM
 * and CRLF line ends, which is what Excel needs to open Chinese text correctly.
 */
export function formatCsv(result: RunResult, lang: Lang): string {
  const ui = uiStrings(lang).csv;
  const rows = [[ui.path, ui.verdict, ui.failing, ui.warnings, ui.messages]];
  for (const file of result.files) {
    const failing = [...new Set(file.checks.filter((c) => c.status === 'fail').map((c) => c.rule))];
    const warnings = [...new Set(file.checks.filter((c) => c.status === 'warn').map((c) => c.rule))];
    const messages = file.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => `${c.rule}: ${c.message}`);
    rows.push([file.path, uiStrings(lang).verdict[file.verdict], failing.join(' '), warnings.join(' '), messages.join('\n')]);
  }
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
