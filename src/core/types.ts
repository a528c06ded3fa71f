import type { Metadata } from 'sharp';
import type { ContainerInfo } from '../analysis/container.js';
import type { JpegStructure } from '../analysis/jpeg-structure.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip';
export type Verdict = 'pass' | 'fail' | 'error';
export type Lang = 'zh' | 'en';

/** What a rule returns: data only. Reporters turn it into words through the i18n catalogues. */
export interface Finding {
  status: Status;
  messageId: string;
  /** Values interpolated into the message template ({name} placeholders). */
  data?: Record<string, string | number>;
  /** The measured value, machine-readable (JSON output). */
  measured?: unknown;
  /** The allowed value or range, machine-readable (JSON output). */
  expected?: unknown;
}

export interface Check extends Finding {
  rule: string;
  message: string;
}

/** Decoded pixels in the photo's upright orientation, 8-bit sRGB, 3 channels, maybe scaled down. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  /** width of these pixels / width of the upright full-size image (1 when not scaled). */
  scale: number;
}

/** Everything the loader learnt about one file. Rules read this; they never open files. */
export interface Photo {
  path: string;
  bytes: Buffer;
  fileSize: number;
  container: ContainerInfo;
  /** Marker-level structure, only for JPEG containers. */
  jpeg?: JpegStructure;
  /** sharp's header metadata (format, size, channels, depth, density, ICC...). */
  meta: Metadata;
  /** Upright size, after EXIF orientation. */
  width: number;
  height: number;
  exif?: Record<string, unknown>;
  exifError?: string;
  pixels: Pixels;
  /** The full-resolution upright RGB pixels, kept only for formats sharp cannot decode itself (HEIC). */
  decoded?: { data: Buffer; width: number; height: number };
  /** Set when the bytes could not be decoded: only byte-level rules ran. */
  decodeFailure?: { messageId: string; data: Record<string, string | number> };
  /** Lazily computed, shared analyses (face, background mask...). Use `analyse(photo, analysis)`. */
  cache: Map<string, Promise<unknown>>;
}

export interface RuleContext<O> {
  photo: Photo;
  options: O;
  /** The profile's standard frame (480x640 for chsi-graduate): geometry is reported in its pixels. */
  frame: { width: number; height: number };
}

export interface RuleMeta<O> {
  /** One line saying what the rule measures, per language (used by `gradphoto rules`). */
  description: Record<Lang, string>;
  /** Every messageId the rule may report. The runner refuses any other. */
  messageIds: readonly string[];
  defaultOptions: O;
  /**
   * Message templates for rules that live outside gradphoto (built-in rules keep theirs in
   * src/i18n). Keyed by language, then messageId; `{name}` placeholders take `data` values.
   */
  messages?: Partial<Record<Lang, Record<string, string>>>;
  /** 'bytes' rules can run on a file that failed to decode; 'pixels' rules (the default) need the image. */
  needs?: 'bytes' | 'pixels';
}

export interface Rule<O = Record<string, unknown>> {
  id: string;
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): Finding | Finding[] | Promise<Finding | Finding[]>;
}

export interface FileResult {
  path: string;
  verdict: Verdict;
  checks: Check[];
  /** Present when the file could not be read or decoded: what went wrong and what to do. */
  error?: { messageId: string; message: string };
}

export interface RunResult {
  profile: string;
  files: FileResult[];
  summary: { total: number; pass: number; fail: number; error: number };
}
