import { readFileSync } from 'node:fs';

/** gradphoto's own version, from its package.json (reports carry it as toolVersion). */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The version of the JSON report's shape (schema/report.schema.json): changes only when a key is removed or changes meaning. */
export const REPORT_SCHEMA_VERSION = 1;
