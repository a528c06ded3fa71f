import { stringify } from 'csv-stringify/sync';
import { ruleName, uiStrings } from '../i18n/index.js';
import type { Lang, Report } from '../contract/types.js';
import type { RosterReport, Student } from '../roster/roster.js';
import { type StreamFormat, wholeReport } from './stream.js';

/** A cell's text that Excel shows as text: formulas defused (=, +, -, @ at the start). */
const defused = (value: string | number): string => {
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

/** Rows as CSV for Excel by csv-stringify: every cell quoted, quotes inside doubled, CRLF line ends. */
const csvRows = (rows: string[][]): string => stringify(rows, { quoted: true, quoted_empty: true, record_delimiter: 'windows' });

/** A cell that Excel shows as text: quoted, quotes doubled, and formulas defused. */
export function csvCell(value: string | number): string {
  return csvRows([[defused(value)]]).replace(/\r\n$/, '');
}

/**
 * A student number or ID number as the text of a cell Excel keeps as text: a number with leading zeros or
 * more than 15 digits would otherwise lose its zeros or its last digits (1.10105E+17). Excel reads ="…" as
 * a formula whose value is the text itself; only digits (and a final X) are ever written so, so no
 * file name or roster cell can become a formula.
 */
export function idCell(value: string): string {
  return /^\d+X?$/i.test(value) ? `="${value}"` : defused(value);
}

/** Backticks around commands are for terminals; a spreadsheet cell shows the words alone. */
const plain = (message: string) => message.replace(/`([^`]*)`/g, '$1');

/**
 * One row per photo: verdict, failing and warning rules (ids), and the messages. UTF-8 with a BOM
 * and CRLF line ends, which is what Excel needs to open Chinese text correctly. Written row by row
 * as results arrive (StreamFormat).
 *
 * With a roster, each row starts with the student the photo belongs to (number, ID number, name),
 * and every student without a photo gets a row of their own, so the sheet can be sorted by student
 * and handed round as the class's to-do list.
 */
export function csvStream(lang: Lang, roster?: RosterReport): StreamFormat {
  const ui = uiStrings(lang).csv;
  const names = (rules: string[]) => rules.map((id) => ruleName(lang, id)).join(lang === 'zh' ? '、' : ', ');
  const studentOf = new Map(roster?.assignments.map(({ photo, student }) => [photo, student]) ?? []);
  const several = new Set(roster?.duplicatePhotos.flatMap(({ photos }) => photos) ?? []);
  const who = (student: Student | undefined) => (roster ? [student?.studentId ?? '', student?.idNumber ?? '', student?.name ?? ''] : []);
  // With a roster, the first two columns are the 学号 and 身份证号 (the header row is words, never digits).
  const cell = (value: string, column: number) => (roster && column < 2 ? idCell(value) : defused(value));
  const rows = (list: string[][]) => (list.length === 0 ? '' : csvRows(list.map((row) => row.map(cell))));
  return {
    head: () => `\ufeff${rows([[...(roster ? [ui.studentId, ui.idNumber, ui.name] : []), ui.path, ui.verdict, ui.failing, ui.warnings, ui.messages]])}`,
    file(file) {
      const failing = [...new Set(file.checks.filter((c) => c.status === 'fail').map((c) => c.rule))];
      const warnings = [...new Set(file.checks.filter((c) => c.status === 'warn').map((c) => c.rule))];
      const messages = file.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => `${ruleName(lang, c.rule)}${lang === 'zh' ? '：' : ': '}${plain(c.message)}`);
      const student = studentOf.get(file.path);
      if (roster && !student) messages.unshift(ui.notOnRoster);
      if (several.has(file.path)) messages.unshift(ui.severalPhotos);
      return rows([[...who(student), file.path, uiStrings(lang).verdict[file.verdict], names(failing), names(warnings), messages.join('\n')]]);
    },
    tail: () => rows((roster?.missing ?? []).map((student) => [...who(student), '', ui.noPhoto, '', '', ui.noPhotoAdvice])),
  };
}

/** The whole CSV at once (csvStream's rows joined). */
export function formatCsv(result: Report, lang: Lang, roster?: RosterReport): string {
  return wholeReport(csvStream(lang, roster), result.files, result.summary);
}
