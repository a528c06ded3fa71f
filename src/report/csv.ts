import { uiStrings } from '../i18n/index.js';
import type { Lang, RunResult } from '../contract/types.js';
import type { RosterReport, Student } from '../roster/roster.js';

/** A cell that Excel shows as text: quoted, quotes doubled, and formulas defused (=, +, -, @ at the start). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * One row per photo: verdict, failing and warning rules (ids), and the messages. UTF-8 with a BOM
 * and CRLF line ends, which is what Excel needs to open Chinese text correctly.
 *
 * With a roster, each row starts with the student the photo belongs to (number, ID number, name),
 * and every student without a photo gets a row of their own, so the sheet can be sorted by student
 * and handed round as the class's to-do list.
 */
export function formatCsv(result: RunResult, lang: Lang, roster?: RosterReport): string {
  const ui = uiStrings(lang).csv;
  const studentOf = new Map(roster?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const several = new Set(roster?.duplicatePhotos.flatMap(({ photos }) => photos) ?? []);
  const who = (student: Student | undefined) => (roster ? [student?.studentId ?? '', student?.idNumber ?? '', student?.name ?? ''] : []);
  const rows = [[...(roster ? [ui.studentId, ui.idNumber, ui.name] : []), ui.path, ui.verdict, ui.failing, ui.warnings, ui.messages]];
  for (const file of result.files) {
    const failing = [...new Set(file.checks.filter((c) => c.status === 'fail').map((c) => c.rule))];
    const warnings = [...new Set(file.checks.filter((c) => c.status === 'warn').map((c) => c.rule))];
    const messages = file.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => `${c.rule}: ${c.message}`);
    const student = studentOf.get(file.path);
    if (roster && !student) messages.unshift(ui.notOnRoster);
    if (several.has(file.path)) messages.unshift(ui.severalPhotos);
    rows.push([...who(student), file.path, uiStrings(lang).verdict[file.verdict], failing.join(' '), warnings.join(' '), messages.join('\n')]);
  }
  for (const student of roster?.missing ?? []) rows.push([...who(student), '', ui.noPhoto, '', '', ui.noPhotoAdvice]);
  return `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
