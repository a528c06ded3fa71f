import type { Metadata } from 'sharp';

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

/** A rule's finding as core reports it: ids and data, no words (reporters word it, src/report/localise.ts). */
export interface Check extends Finding {
  rule: string;
  measured: unknown;
  expected: unknown;
}

/** A check worded in one language: what the JSON report, the other reports and the library's check() carry. */
export interface ReportCheck extends Check {
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
  /** The profile's standard frame: geometry is reported in its pixels. */
  frame: { width: number; height: number };
  /**
   * Load another photo the rule compares with (an admission photo), as the checker loads its own: the
   * rule never opens files itself. `failure` names why a photo could not be read or decoded.
   */
  loadPhoto(path: string): Promise<LoadedPhoto>;
}

/** Another photo loaded for a rule: decoded, or why not (readable false: the file itself could not be read). */
export type LoadedPhoto = { photo: Photo } | { failure: string; data: Record<string, string | number>; readable: boolean };

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
  /**
   * Present when the file could not be read or decoded, or a rule could not run: the check that says so
   * (its rule and messageId), and file.decode's data for when that check is not in `checks` (rule turned off).
   */
  error?: { rule: string; messageId: string; data?: Record<string, string | number> };
}

export interface RunResult {
  profile: string;
  files: FileResult[];
  summary: { total: number; pass: number; fail: number; error: number };
}

/** One file's result worded in one language: the JSON contract's file object (schema/report.schema.json). */
export interface ReportFile {
  path: string;
  verdict: Verdict;
  checks: ReportCheck[];
  /** What went wrong and what to do, when the file could not be read or decoded or a rule could not run. */
  error?: { messageId: string; message: string };
}

/** A run worded in one language. */
export interface Report {
  profile: string;
  files: ReportFile[];
  summary: RunResult['summary'];
}

// ---------------------------------------------------------------- facts the byte parsers (src/formats) give

/** The real container of a file, from its first bytes ("magic numbers"), never from its name. */
export type ContainerName =
  | 'JPEG' | 'PNG' | 'WebP' | 'GIF' | 'HEIC' | 'AVIF' | 'TIFF' | 'BMP' | 'PDF' | 'unknown';

export interface ContainerInfo {
  name: ContainerName;
  /** Short file-type label users recognise, for messages ("PNG", "HEIC (iPhone photo)"). */
  label: string;
}

export type JpegCoding = 'baseline' | 'extended' | 'progressive' | 'lossless' | 'arithmetic' | 'hierarchical';

export interface QuantTable {
  id: number;
  /** 8 or 16 bits per entry. */
  precision: 8 | 16;
  /** 64 entries in zig-zag order, as stored. */
  values: number[];
}

export interface JpegStructure {
  coding?: JpegCoding;
  /** Sample precision from the frame header: 8, or 12 for 12-bit JPEGs. */
  precision?: number;
  components?: number;
  frameWidth?: number;
  frameHeight?: number;
  quantTables: QuantTable[];
  /** Component id -> quantisation table id, from the frame header. */
  componentTables: number[];
  jfifDensity?: { units: number; x: number; y: number };
  hasExif: boolean;
  /** Adobe APP14 colour transform byte (0 = CMYK/RGB untransformed, 2 = YCCK). */
  adobeTransform?: number;
  /** Byte offset just past the first EOI marker; undefined when the file ends before it. */
  endOffset?: number;
  /** Bytes after the end-of-image marker (padding, a second image as in MPO files, a half-overwritten file). */
  trailingBytes: number;
  /** The file stops before the end-of-image marker. */
  truncated: boolean;
  /** Marker structure broke (a length running past the end, a byte that is no marker). */
  malformed?: string;
}

// ---------------------------------------------------------------- what a batch makes per photo

/** A photo's pictures for the HTML report, as data URIs. */
export interface PhotoPictures { thumbnail?: string; overlay?: string }

/**
 * A module a batch loads by URL (CheckSetup.photoOutputs) and calls with each decoded photo and its
 * result, in the thread that checked it: for annotations and report pictures, drawn by the report floor.
 */
export type PhotoOutputs = (photo: Photo, result: FileResult, wanted: {
  profileId: string; /** The Profile (profiles/types.ts) checked against. */ profile?: object; lang: Lang; pictures: boolean; annotateDir?: string; annotationName?: string;
}) => Promise<{ pictures?: PhotoPictures }>;
