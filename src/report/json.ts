import type { Report } from '../contract/types.js';
import type { RosterReport } from '../roster/roster.js';
import { REPORT_SCHEMA_VERSION, TOOL_VERSION } from '../contract/version.js';

/** The SPEC output contract: one JSON document; keys never change with the language (schema/report.schema.json). */
export function formatJson(result: Report, roster?: RosterReport): string {
  const files = result.files.map((file) => ({
    path: file.path,
    verdict: file.verdict,
    ...(file.error ? { error: file.error } : {}),
    checks: file.checks.map(({ rule, status, messageId, message, data, measured, expected }) => ({ rule, status, messageId, message, ...(data ? { data } : {}), measured, expected })),
  }));
  return `${JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, toolVersion: TOOL_VERSION, profile: result.profile, files, summary: result.summary, ...(roster ? { roster } : {}) }, null, 2)}\n`;
}
