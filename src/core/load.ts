import { platform } from '../platform/index.js';
import { sniffContainer, type ContainerName } from '../formats/container.js';
import { parseJpegStructure } from '../formats/jpeg-structure.js';
import type { LoadedPhoto, Photo, Pixels } from '../contract/types.js';

export interface LoadLimits {
  /** Files larger than this are refused before reading (a diploma photo is 40 KB). */
  maxFileBytes: number;
  /** Images declaring more pixels are refused before decoding (decompression bombs). */
  maxPixels: number;
  /** Long side of the working pixels the analyses use; larger photos are scaled down once. */
  workingLongSide: number;
  /**
   * Decoding taking longer than this is stopped. A 100-megapixel JPEG decodes and scales down in 0.3 s
   * on this project's machine (2 s when progressive), so this only stops what no photo needs.
   */
  decodeSeconds: number;
}

/**
 * sharp's name of the format each container is decoded as. Only these are handed to the decoder: a file
 * whose first bytes are no photo format is never decoded, whatever libvips could make of it (an SVG
 * named .jpg declaring 9990x9990 was rasterised for 17 s).
 */
const DECODED_AS: Partial<Record<ContainerName, string>> = { JPEG: 'jpeg', PNG: 'png', WebP: 'webp', GIF: 'gif', TIFF: 'tiff', HEIC: 'heif', AVIF: 'heif' };

/**
 * The fewest bytes a Huffman-coded JPEG of this size can be: every 8x8 block of a full-resolution
 * component takes at least one bit (its DC code), in baseline and progressive coding alike. A file
 * smaller than that cannot hold the picture its header declares, and decoding it would only fill a
 * huge image with grey (a 40 KB file declaring 10000x10000 took 449 MB). 0 when there is no such bound.
 */
function leastJpegBytes(photo: Photo): number {
  const coding = photo.jpeg?.coding;
  if (coding !== 'baseline' && coding !== 'extended' && coding !== 'progressive') return 0;
  const { width = 0, height = 0 } = photo.meta;
  return Math.ceil((Math.ceil(width / 8) * Math.ceil(height / 8)) / 8);
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPixels: 100_000_000,
  workingLongSide: 1280,
  decodeSeconds: 20,
};

/** Why a file could not be read or decoded: a messageId of file.decode plus its data. */
export interface LoadFailure {
  messageId: string;
  data: Record<string, string | number>;
}

export type LoadOutcome =
  | { kind: 'photo'; photo: Photo }
  /** The bytes were read but could not be decoded: byte-level rules still run. */
  | { kind: 'undecodable'; photo: Photo; failure: LoadFailure }
  /** Nothing could be read. */
  | { kind: 'unreadable'; failure: LoadFailure };

/** A file-system error as file.decode's messageId and data (the Node platform's, for discover). */
export { fsFailure } from '../platform/index.js';

function decodeFailure(error: Error, photo: Photo, limits: LoadLimits): LoadFailure {
  const text = error.message;
  const format = photo.container.label;
  if (photo.fileSize === 0) return { messageId: 'empty', data: {} };
  if (/^timeout/i.test(text)) return { messageId: 'decodeTimeout', data: { seconds: limits.decodeSeconds } };
  if (/pixel limit/i.test(text)) {
    const { width = 0, height = 0 } = photo.meta;
    return { messageId: 'tooManyPixels', data: { width, height, limitMP: Math.round(limits.maxPixels / 1e6) } };
  }
  if (photo.container.name === 'HEIC') return { messageId: 'heic', data: {} };
  if (photo.jpeg && (photo.jpeg.precision === 12 || photo.jpeg.coding === 'lossless' || photo.jpeg.coding === 'hierarchical')) {
    return { messageId: 'unsupportedJpeg', data: { coding: photo.jpeg.precision === 12 ? '12-bit' : String(photo.jpeg.coding) } };
  }
  if (photo.container.name === 'unknown') return { messageId: 'notAnImage', data: {} };
  if (/unsupported image format/i.test(text)) return { messageId: 'unsupportedFormat', data: { format } };
  if (photo.jpeg?.truncated || /premature end|truncated|unexpected end/i.test(text)) {
    return { messageId: 'truncated', data: { format } };
  }
  // After "corrupt header:" sharp appends libvips's error buffer, which is shared by every thread: it
  // sometimes carries another loader's or another photo's words ("heif:"), so it is left out.
  const reason = text.split('\n')[0].replace(/^(Input (?:buffer|file) has corrupt header):.*$/, '$1');
  return { messageId: 'corrupt', data: { format, reason: reason.slice(0, 160) } };
}

async function loadHeic(photo: Photo, bytes: Buffer, limits: LoadLimits): Promise<LoadOutcome> {
  try {
    const decoded = await platform.decodeHeic(bytes, limits.maxPixels);
    Object.assign(photo, await readExif(bytes));
    if (photo.exif) delete photo.exif.Orientation; // already applied by libheif (irot/imir)
    photo.meta = { format: 'heif', width: decoded.width, height: decoded.height, space: 'srgb', channels: 3, depth: 'uchar', hasAlpha: false } as Photo['meta'];
    photo.width = decoded.width;
    photo.height = decoded.height;
    photo.decoded = decoded;
    photo.pixels = await decodePixels(decoded.data, photo, limits, { width: decoded.width, height: decoded.height });
    return { kind: 'photo', photo };
  } catch (error) {
    const tooLarge = /pixel limit/.test((error as Error).message);
    photo.decodeFailure = tooLarge ? decodeFailure(error as Error, photo, limits) : { messageId: 'heic', data: {} };
    return { kind: 'undecodable', photo, failure: photo.decodeFailure };
  }
}

/**
 * What exifr reads. One object for the whole process: exifr keeps the options it is given in a Map keyed
 * by the object (Options.useCached), so a fresh literal a photo was a leak of about 7 KiB a photo, the
 * growth bench:memory measured (issue 19).
 */
const EXIF_OPTIONS = Object.freeze({
  tiff: true, ifd0: {}, exif: true, gps: true, interop: false, ifd1: false,
  xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
  translateKeys: true, translateValues: false, reviveValues: true, mergeOutput: true,
});

async function readExif(bytes: Buffer): Promise<{ exif?: Record<string, unknown>; exifError?: string }> {
  try {
    const exif = await platform.exifParse(bytes, EXIF_OPTIONS);
    return { exif: exif ?? undefined };
  } catch (error) {
    return { exifError: (error as Error).message };
  }
}

async function decodePixels(bytes: Buffer, photo: Photo, limits: LoadLimits, raw?: { width: number; height: number }): Promise<Pixels> {
  const longSide = Math.max(photo.width, photo.height);
  const scale = longSide > limits.workingLongSide ? limits.workingLongSide / longSide : 1;
  // At least 1 px: a 20000x4 photo's short side scales to 0.26 px, which is not a damaged photo.
  const side = (length: number) => Math.max(1, Math.round(length * scale));
  const size = scale < 1 ? { width: side(photo.width), height: side(photo.height) } : undefined;
  const info = await platform.decodeRgb(raw ? { data: bytes, ...raw } : bytes, size, { maxPixels: limits.maxPixels, seconds: limits.decodeSeconds });
  const { data } = info;
  return { data, width: info.width, height: info.height, scale: info.width / photo.width };
}

/**
 * Read one file once, sniff it, read its header and EXIF once, and decode its pixels once. `source`
 * is where to read it when that is not `path` (a name whose bytes are not UTF-8).
 */
export async function loadPhoto(path: string, limits: LoadLimits = DEFAULT_LIMITS, source?: string | Buffer): Promise<LoadOutcome> {
  const bytes = platform.readFile(path, limits.maxFileBytes, source);
  if (!Buffer.isBuffer(bytes)) return { kind: 'unreadable', failure: bytes };
  return loadPhotoBytes(path, bytes, limits);
}

/**
 * As loadPhoto, for bytes already in memory (an upload, a fixed photo checked before it is written);
 * `path` is only the name results carry. Bytes above the file-size limit are refused as a file would be.
 */
export async function loadPhotoBytes(path: string, bytes: Buffer, limits: LoadLimits = DEFAULT_LIMITS): Promise<LoadOutcome> {
  if (bytes.length > limits.maxFileBytes) {
    return { kind: 'unreadable', failure: { messageId: 'fileTooLarge', data: { bytes: bytes.length, limitMB: Math.round(limits.maxFileBytes / 1048576) } } };
  }
  const container = sniffContainer(bytes);
  const photo: Photo = {
    path, bytes, fileSize: bytes.length, container,
    jpeg: container.name === 'JPEG' ? parseJpegStructure(bytes) : undefined,
    meta: { } as Photo['meta'], width: 0, height: 0,
    pixels: { data: Buffer.alloc(0), width: 0, height: 0, scale: 1 },
    cache: new Map(),
  };
  if (bytes.length === 0) {
    photo.decodeFailure = { messageId: 'empty', data: {} };
    return { kind: 'undecodable', photo, failure: photo.decodeFailure };
  }

  if (container.name === 'HEIC') return loadHeic(photo, bytes, limits);
  const undecodable = (failure: LoadFailure): LoadOutcome => {
    photo.decodeFailure = failure;
    return { kind: 'undecodable', photo, failure };
  };
  const format = DECODED_AS[container.name];
  if (!format) {
    return undecodable(container.name === 'unknown' ? { messageId: 'notAnImage', data: {} } : { messageId: 'unsupportedFormat', data: { format: container.label } });
  }
  try {
    // Header only: no pixel limit here, so a decompression bomb is named with its declared size.
    photo.meta = await platform.metadata(bytes);
    if (photo.meta.format !== format) return undecodable({ messageId: 'notAnImage', data: {} });
    const { width = 0, height = 0 } = photo.meta;
    if (width * height > limits.maxPixels) throw new Error('Input image exceeds pixel limit');
    const needed = leastJpegBytes(photo);
    if (photo.fileSize < needed) {
      return undecodable(photo.jpeg?.truncated ? { messageId: 'truncated', data: { format: container.label } }
        : { messageId: 'tooLittleData', data: { width, height, bytes: photo.fileSize, needed } });
    }
    Object.assign(photo, await readExif(bytes));
    const orientation = Number(photo.exif?.Orientation ?? photo.meta.orientation ?? 1);
    const swapped = orientation >= 5 && orientation <= 8;
    photo.width = swapped ? height : width;
    photo.height = swapped ? width : height;
    photo.pixels = await decodePixels(bytes, photo, limits);
    return { kind: 'photo', photo };
  } catch (error) {
    photo.decodeFailure = decodeFailure(error as Error, photo, limits);
    return { kind: 'undecodable', photo, failure: photo.decodeFailure };
  }
}

/** loadPhoto in the shape rules get it (RuleContext.loadPhoto): the photo, or why it could not be loaded. */
export async function loadForRule(path: string): Promise<LoadedPhoto> {
  const outcome = await loadPhoto(path);
  return outcome.kind === 'photo' ? { photo: outcome.photo } : { failure: outcome.failure.messageId, data: outcome.failure.data, readable: outcome.kind !== 'unreadable' };
}
