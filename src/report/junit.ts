import { interpolate, uiStrings } from '../i18n/index.js';
import type { Lang, Report } from '../contract/types.js';
import type { RosterReport, Student } from '../roster/roster.js';
import { isBroken } from '../core/run.js';
import { type StreamFormat, wholeReport } from './stream.js';

export const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // XML 1.0 cannot carry most control characters, U+FFFE, U+FFFF or a lone surrogate, even escaped.
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '');

const who = (s: Student) => [s.studentId, s.name, s.idNumber].filter(Boolean).join(' ');

/**
 * The roster's problems as failed test cases (they fail the run, so CI must not show them green):
 * a student with no photo, a photo matching nobody, several photos for one student, a wrong check digit.
 */
function rosterCases(roster: RosterReport, lang: Lang): string[] {
  const ui = uiStrings(lang);
  const failure = (name: string, message: string) =>
    `    <testcase classname="roster" name="${escapeXml(name)}"><failure message="${escapeXml(message)}" type="roster"/></testcase>`;
  return [
    ...roster.missing.map((s) => failure(who(s), `${ui.csv.noPhotoAdvice} (${interpolate(ui.roster.line, { line: s.line })})`)),
    ...roster.unmatched.map((photo) => failure(photo, ui.csv.notOnRoster)),
    ...roster.duplicatePhotos.map((d) => failure(who(d.student), `${ui.csv.severalPhotos} ${d.photos.join(', ')}`)),
    ...roster.badIdNumbers.map((b) => failure(b.photo, interpolate(ui.roster.badIdOne, { idNumber: b.idNumber, expected: b.expected }))),
  ];
}

/**
 * JUnit XML for CI: a test case per photo and rule; fail -> <failure>, unreadable file -> <error>, skip -> <skipped>.
 * With a roster, a second suite has a failed case per roster problem. Test cases are written as results
 * arrive; the totals the opening tags carry are known only at the end, so the head comes last (headAtEnd).
 */
export function junitStream(profile: string, lang: Lang = 'en', roster?: RosterReport): StreamFormat {
  let tests = 0; let failures = 0; let errors = 0; let skipped = 0;
  const rostered = roster ? rosterCases(roster, lang) : [];
  return {
    headAtEnd: true,
    head: () => [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="gradphoto" tests="${tests + rostered.length}" failures="${failures + rostered.length}" errors="${errors}" skipped="${skipped}">`,
      `  <testsuite name="gradphoto ${escapeXml(profile)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
      '',
    ].join('\n'),
    file(file) {
      const cases: string[] = [];
      const byRule = new Map<string, typeof file.checks>();
      for (const check of file.checks) byRule.set(check.rule, [...(byRule.get(check.rule) ?? []), check]);
      for (const [rule, checks] of byRule) {
        const failed = checks.filter((c) => c.status === 'fail');
        const text = checks.map((c) => `${c.status}: ${c.message}`).join('\n');
        let body = '';
        const broken = checks.find(isBroken);
        if ((file.verdict === 'error' && rule === 'file.decode' && failed.length > 0) || broken) {
          // A rule that could not run is an error, not a skip: CI must not show the photo as passing.
          errors++;
          body = `<error message="${escapeXml(failed[0]?.message ?? broken?.message ?? file.error?.message ?? 'error')}" type="${escapeXml(failed[0]?.messageId ?? broken?.messageId ?? 'error')}"/>`;
        } else if (failed.length > 0) {
          failures++;
          body = `<failure message="${escapeXml(failed.map((c) => c.message).join(' '))}" type="${escapeXml(failed.map((c) => c.messageId).join(' '))}">${escapeXml(text)}</failure>`;
        } else if (checks.every((c) => c.status === 'skip')) {
          skipped++;
          body = `<skipped message="${escapeXml(checks[0].message)}"/>`;
        } else {
          body = `<system-out>${escapeXml(text)}</system-out>`;
        }
        tests++;
        cases.push(`    <testcase classname="${escapeXml(file.path)}" name="${escapeXml(rule)}">${body}</testcase>\n`);
      }
      return cases.join('');
    },
    tail: () => [
      '  </testsuite>',
      ...(roster ? [
        `  <testsuite name="gradphoto roster" tests="${rostered.length}" failures="${rostered.length}" errors="0" skipped="0">`,
        ...rostered,
        '  </testsuite>',
      ] : []),
      '</testsuites>',
      '',
    ].join('\n'),
  };
}

/** The whole JUnit document at once (junitStream's pieces, head first). */
export function formatJunit(result: Report, lang: Lang = 'en', roster?: RosterReport): string {
  return wholeReport(junitStream(result.profile, lang, roster), result.files, result.summary);
}
