import { parse } from 'csv-parse/sync';
import { decodeMessage } from '../i18n/index.js';
import { platform } from '../platform/index.js';

export interface Student {
  /** 1-based line in the roster file, for messages. */
  line: number;
  studentId?: string;
  idNumber?: string;
  name?: string;
}

export interface RosterReport {
  students: number;
  matched: number;
  /** Roster rows with no photo. */
  missing: Student[];
  /** Photos whose name matches nobody on the roster. */
  unmatched: string[];
  /** A student with more than one photo. */
  duplicatePhotos: { student: Student; photos: string[] }[];
  /** The same student number or ID number on several roster rows. */
  duplicateRows: { key: string; lines: number[] }[];
  /** Photos named by an 18-character ID number whose check digit is wrong. */
  badIdNumbers: { photo: string; idNumber: string; expected: string }[];
  /** The student each matched photo belongs to. */
  assignments: { photo: string; student: Student }[];
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK as Excel saves CSV on Chinese Windows. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, newlines in quotes), read by csv-parse; a tab-separated file works
 * too. A stray quote inside a cell (张"三) stays a character, as Excel reads it, instead of swallowing the
 * rest of the file into one cell; a quote never closed is an error naming the line. Empty rows are dropped.
 */
export function parseCsv(text: string): string[][] {
  const delimiter = !text.includes(',') && text.includes('\t') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    throw new Error(code === 'CSV_QUOTE_NOT_CLOSED' ? `a quoted cell is never closed (the file ends inside it, at line ${lines}): look for a " opening a cell without one closing it` : (error as Error).message);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

const HEADERS = {
  studentId: /^(学号|学籍号|考生号|准考证号|student ?(id|no\.?|number))$/i,
  idNumber: /^(身份证号码?|身份证|证件号码?|id ?(number|card))$/i,
  name: /^(姓名|name)$/i,
};

/** GB 11643-1999: the 18th character of a resident ID number from the first 17 digits. */
export function idCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return '10X98765432'[sum % 11];
}

export const looksLikeIdNumber = (text: string) => /^\d{17}[\dXx]$/.test(text);

/** The roster file at `path` (through the platform: the page hands its bytes to parseRoster instead). */
export async function readRoster(path: string): Promise<Student[]> {
  const bytes = platform.readFile(path, 16 * 1024 * 1024, path);
  if (!(bytes instanceof Uint8Array)) throw new Error(`the roster ${path}: ${decodeMessage('en', bytes.messageId, bytes.data)}`);
  return parseRoster(bytes, path);
}

/** A roster CSV's students, from its bytes; `path` only names it in errors. */
export function parseRoster(bytes: Buffer, path: string): Student[] {
  let rows: string[][];
  try {
    rows = parseCsv(decodeText(bytes));
  } catch (error) {
    throw new Error(`the roster ${path} cannot be read as CSV: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new Error(`the roster ${path} is empty`);
  const header = rows[0].map((h) => h.trim());
  const column = (pattern: RegExp) => header.findIndex((h) => pattern.test(h));
  const columns = { studentId: column(HEADERS.studentId), idNumber: column(HEADERS.idNumber), name: column(HEADERS.name) };
  if (columns.studentId < 0 && columns.idNumber < 0 && columns.name < 0) {
    throw new Error(`the roster ${path} has no 学号, 身份证号 or 姓名 column (first row: ${header.join(', ')})`);
  }
  return rows.slice(1).map((cells, i) => {
    const cell = (index: number) => (index >= 0 ? cells[index]?.trim() || undefined : undefined);
    return { line: i + 2, studentId: cell(columns.studentId), idNumber: cell(columns.idNumber)?.toUpperCase(), name: cell(columns.name) };
  });
}

/** The pieces of a file name a roster key may be: the whole name and its parts ("2026001_张三", "张三-2026001"), upper-cased. */
export function nameParts(path: string): string[] {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  const stem = (dot > 0 ? name.slice(0, dot) : name).trim().toUpperCase();
  return [...new Set([stem, ...stem.split(/[\s_\-.()（）]+/).filter(Boolean)])];
}

/** Match photos to students by file name: the name (without extension) is a student number, an ID number or a name. */
export function matchRoster(students: Student[], photos: string[]): RosterReport {
  const byKey = new Map<string, Student>();
  const rowsByKey = new Map<string, number[]>();
  for (const student of students) {
    for (const key of [student.studentId, student.idNumber, student.name]) {
      if (!key) continue;
      const k = key.toUpperCase();
      if (key !== student.name) rowsByKey.set(k, [...(rowsByKey.get(k) ?? []), student.line]);
      if (!byKey.has(k)) byKey.set(k, student);
    }
  }
  const photosOf = new Map<Student, string[]>();
  const unmatched: string[] = [];
  const badIdNumbers: RosterReport['badIdNumbers'] = [];
  for (const photo of photos) {
    const parts = nameParts(photo);
    for (const part of parts) {
      if (looksLikeIdNumber(part)) {
        const expected = idCheckDigit(part.slice(0, 17));
        if (expected !== part[17]) badIdNumbers.push({ photo, idNumber: part, expected });
      }
    }
    const student = parts.map((p) => byKey.get(p)).find(Boolean);
    if (!student) { unmatched.push(photo); continue; }
    photosOf.set(student, [...(photosOf.get(student) ?? []), photo]);
  }
  return {
    students: students.length,
    matched: photosOf.size,
    missing: students.filter((s) => !photosOf.has(s)),
    unmatched,
    duplicatePhotos: [...photosOf].filter(([, list]) => list.length > 1).map(([student, list]) => ({ student, photos: list })),
    duplicateRows: [...rowsByKey].filter(([, lines]) => lines.length > 1).map(([key, lines]) => ({ key, lines })),
    badIdNumbers,
    assignments: [...photosOf].flatMap(([student, list]) => list.map((photo) => ({ photo, student }))),
  };
}
