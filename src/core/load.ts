import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { sharp } from '../formats/sharp.js';
import type { Sharp } from 'sharp';
import { createRequire } from 'node:module';
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

/** A file-system error as file.decode's messageId and data. */
export function fsFailure(error: NodeJS.ErrnoException, path: string): LoadFailure {
  switch (error.code) {
    case 'ENOENT': return { messageId: 'notFound', data: { path } };
    case 'EACCES': case 'EPERM': return { messageId: 'noPermission', data: { path } };
    case 'EISDIR': return { messageId: 'isDirectory', data: { path } };
    case 'ELOOP': return { messageId: 'symlinkLoop', data: { path } };
    default: return { messageId: 'readFailed', data: { path, reason: error.code ?? error.message } };
  }
}

/**
 * The whole file, if it is a regular file within the size limit. Synchronous on purpose: a photo is
 * about 40 KB, and the promise API's stat, open, read and close cost four thread-pool round trips and
 * 0.2 ms a photo more (measured), while the thread is busy checking the previous photo anyway.
 * Only a regular file is opened, and without blocking: a pipe put there after the stat is seen by
 * fstat and refused, never waited on. `source` is where to read when the name as shown is not the
 * name's bytes on disk (a GBK name).
 */
function readBounded(path: string, limits: LoadLimits, source: string | Buffer = path): Buffer | LoadFailure {
  try {
    const info = statSync(source);
    if (info.isDirectory()) return { messageId: 'isDirectory', data: { path } };
    if (!info.isFile()) return { messageId: 'notRegularFile', data: { path } };
    const fd = openSync(source, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return { messageId: 'notRegularFile', data: { path } };
      if (opened.size > limits.maxFileBytes) {
        return { messageId: 'fileTooLarge', data: { bytes: opened.size, limitMB: Math.round(limits.maxFileBytes / 1048576) } };
      }
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return fsFailure(error as NodeJS.ErrnoException, path);
  }
}

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

/** The part of libheif-js (libheif and libde265 compiled to WebAssembly, LGPL-3.0) that decodes a picture. */
interface HeifImage {
  get_width(): number;
  get_height(): number;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: { data: Uint8ClampedArray } | null) => void): void;
  free(): void;
}
interface LibHeif { ready?: Promise<unknown>; HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: { delete(): void } } }
let libheifModule: LibHeif | undefined;
/** libheif-js, required on first use: its 2 MB of WebAssembly load only when an HEIC photo turns up. */
const libheif = (): LibHeif => (libheifModule ??= createRequire(import.meta.url)('libheif-js/wasm-bundle') as LibHeif);

/**
 * An HEIC photo (an iPhone's default) decoded to upright 8-bit RGB: libheif applies the file's rotation
 * and mirroring itself, so the EXIF Orientation that iPhones also write must not be applied again.
 * The picture's size is read before its pixels are, so a huge one is refused before decoding.
 */
async function decodeHeic(bytes: Buffer, limits: LoadLimits): Promise<{ data: Buffer; width: number; height: number }> {
  const lib = libheif();
  await lib.ready;
  const decoder = new lib.HeifDecoder();
  // libheif-js tells of a file it cannot parse with console.log, which would land in a JSON report on
  // stdout; the parse is synchronous, so nothing else can log while it is silenced.
  const log = console.log;
  console.log = () => undefined;
  let images: HeifImage[];
  try {
    images = decoder.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } finally {
    console.log = log;
  }
  try {
    if (images.length === 0) throw new Error('no picture in the HEIF file');
    const primary = images[0];
    const width = primary.get_width();
    const height = primary.get_height();
    if (width * height > limits.maxPixels) throw new Error('Input image exceeds pixel limit');
    const rgba = await new Promise<Uint8ClampedArray>((resolve, reject) => {
      primary.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (result) => (result ? resolve(result.data) : reject(new Error('HEIF decoding failed'))));
    });
    const rgb = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } }).removeAlpha().raw().toBuffer();
    return { data: rgb, width, height };
  } finally {
    for (const image of images) image.free();
    decoder.decoder.delete();
  }
}

async function loadHeic(photo: Photo, bytes: Buffer, limits: LoadLimits): Promise<LoadOutcome> {
  try {
    const decoded = await decodeHeic(bytes, limits);
    Object.assign(photo, await readExif(bytes));
    if (photo.exif) delete photo.exif.Orientation; // already applied by libheif (irot/imir)
    photo.meta = { format: 'heif', width: decoded.width, height: decoded.height, space: 'srgb', channels: 3, depth: 'uchar', hasAlpha: false } as Photo['meta'];
    photo.width = decoded.width;
    photo.height = decoded.height;
    photo.decoded = decoded;
    photo.pixels = await decodePixels(decoded.data, photo, limits, { width: decoded.width, height: decoded.height, channels: 3 });
    return { kind: 'photo', photo };
  } catch (error) {
    const tooLarge = /pixel limit/.test((error as Error).message);
    photo.decodeFailure = tooLarge ? decodeFailure(error as Error, photo, limits) : { messageId: 'heic', data: {} };
    return { kind: 'undecodable', photo, failure: photo.decodeFailure };
  }
}

/**
 * The photo at full resolution, upright, as a sharp pipeline (fix crops from it): from the file, or from
 * the pixels decoded once already when sharp cannot read the file itself (HEIC).
 */
export function fullResolution(photo: Photo): Sharp {
  if (photo.decoded) return sharp(photo.decoded.data, { raw: { width: photo.decoded.width, height: photo.decoded.height, channels: 3 } });
  return sharp(photo.bytes, { limitInputPixels: DEFAULT_LIMITS.maxPixels, failOn: 'truncated' }).timeout({ seconds: DEFAULT_LIMITS.decodeSeconds }).rotate();
}

type Exifr = typeof import('exifr')['default'];
let exifrModule: Exifr | undefined;
/**
 * exifr, required on first use (a batch's main thread never reads EXIF) as the CommonJS bundle its
 * package names: an ESM import of it first scans 76 KB for export names.
 */
const exifr = (): Exifr => (exifrModule ??= createRequire(import.meta.url)('exifr') as Exifr);

async function readExif(bytes: Buffer): Promise<{ exif?: Record<string, unknown>; exifError?: string }> {
  try {
    const exif = await exifr().parse(bytes, {
      tiff: true, ifd0: {}, exif: true, gps: true, interop: false, ifd1: false,
      xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
      translateKeys: true, translateValues: false, reviveValues: true, mergeOutput: true,
    } as never);
    return { exif: exif ?? undefined };
  } catch (error) {
    return { exifError: (error as Error).message };
  }
}

async function decodePixels(bytes: Buffer, photo: Photo, limits: LoadLimits, raw?: { width: number; height: number; channels: 3 }): Promise<Pixels> {
  const longSide = Math.max(photo.width, photo.height);
  const scale = longSide > limits.workingLongSide ? limits.workingLongSide / longSide : 1;
  let pipeline = (raw ? sharp(bytes, { raw }) : sharp(bytes, { failOn: 'truncated', limitInputPixels: limits.maxPixels }))
    .timeout({ seconds: limits.decodeSeconds })
    .rotate() // apply EXIF orientation: rules see the photo as viewers show it
    .toColourspace('srgb')
    .removeAlpha();
  if (scale < 1) {
    // At least 1 px: a 20000x4 photo's short side scales to 0.26 px, which is not a damaged photo.
    const side = (length: number) => Math.max(1, Math.round(length * scale));
    pipeline = pipeline.resize({ width: side(photo.width), height: side(photo.height), fit: 'fill' });
  }
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
  return { data, width: info.width, height: info.height, scale: info.width / photo.width };
}

/**
 * Read one file once, sniff it, read its header and EXIF once, and decode its pixels once. `source`
 * is where to read it when that is not `path` (a name whose bytes are not UTF-8).
 */
export async function loadPhoto(path: string, limits: LoadLimits = DEFAULT_LIMITS, source?: string | Buffer): Promise<LoadOutcome> {
  const bytes = readBounded(path, limits, source);
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
    photo.meta = await sharp(bytes, { limitInputPixels: false }).metadata();
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
