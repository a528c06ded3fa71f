import { interpolate, uiStrings } from '../i18n/index.js';
import type { Lang } from '../contract/types.js';
import type { RosterReport, Student } from '../roster/roster.js';

const who = (s: Student) => [s.studentId, s.name, s.idNumber].filter(Boolean).join(' ');

/** The roster block printed after the text report's summary. */
export function formatRosterText(roster: RosterReport, lang: Lang): string {
  const ui = uiStrings(lang).roster;
  const lines = ['', interpolate(ui.title, { students: roster.students, matched: roster.matched })];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(interpolate(title, { count: items.length }), ...items.map((item) => `  - ${item}`));
  };
  list(ui.missing, roster.missing.map((s) => `${who(s)} (${interpolate(ui.line, { line: s.line })})`));
  list(ui.unmatched, roster.unmatched);
  list(ui.duplicates, roster.duplicatePhotos.map((d) => `${who(d.student)}: ${d.photos.join(', ')}`));
  list(ui.duplicateRows, roster.duplicateRows.map((d) => `${d.key}: ${d.lines.join(', ')}`));
  list(ui.badId, roster.badIdNumbers.map((b) => `${b.photo} (${ui.expected} ${b.expected})`));
  return `${lines.join('\n')}\n`;
}
