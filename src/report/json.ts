import type { Report, ReportFile } from '../contract/types.js';
import type { RosterReport } from '../roster/roster.js';
import { REPORT_SCHEMA_VERSION, TOOL_VERSION } from '../contract/version.js';
import { type StreamFormat, wholeReport } from './stream.js';

/** A file as the JSON contract has it: keys in the schema's order, `error` and `data` only when present. */
const jsonFile = (file: ReportFile) => ({
  path: file.path,
  verdict: file.verdict,
  ...(file.error ? { error: file.error } : {}),
  checks: file.checks.map(({ rule, status, messageId, message, data, measured, expected }) => ({ rule, status, messageId, message, ...(data ? { data } : {}), measured, expected })),
});

/** JSON.stringify(value, null, 2) as it reads `depth` levels down in a document indented by two. */
const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * The SPEC output contract as a stream: one JSON document, byte for byte what JSON.stringify(document,
 * null, 2) gives, written as a `files` array that grows file by file; the summary (and the roster)
 * come after it, as they always have. Keys never change with the language (schema/report.schema.json).
 */
export function jsonStream(profile: string, roster?: RosterReport): StreamFormat {
  let first = true;
  return {
    head: () => `{\n  "schemaVersion": ${JSON.stringify(REPORT_SCHEMA_VERSION)},\n  "toolVersion": ${JSON.stringify(TOOL_VERSION)},\n  "profile": ${JSON.stringify(profile)},\n  "files": [`,
    file(file) {
      const piece = `${first ? '' : ','}\n    ${nested(jsonFile(file), 2)}`;
      first = false;
      return piece;
    },
    tail: (summary) => `${first ? '' : '\n  '}],\n  "summary": ${nested(summary, 1)}${roster ? `,\n  "roster": ${nested(roster, 1)}` : ''}\n}\n`,
  };
}

/** The whole JSON document at once (jsonStream's pieces joined). */
export function formatJson(result: Report, roster?: RosterReport): string {
  return wholeReport(jsonStream(result.profile, roster), result.files, result.summary);
}
