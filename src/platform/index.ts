/**
 * The Node platform (platform/types.ts): files through node:fs, pictures through sharp (libvips), HEIC
 * through libheif-js, EXIF through exifr, the models from the package's models/ folder. The web page's
 * bundle replaces this module with web/src/platform.ts; nothing else in src/ below the batch floor
 * touches node: modules or sharp.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Photo } from '../contract/types.js';
import { decodeHeif, type LibHeif } from './heif.js';
import { withJfifDensity } from './jfif.js';
import { sharp } from './sharp.js';
import type { Platform, PlatformFailure, RgbImage } from './types.js';

export type { DecodeLimits, JpegOptions, Platform, PlatformFailure, Region, RgbImage } from './types.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** A file-system error as file.decode's messageId and data. */
export function fsFailure(error: NodeJS.ErrnoException, path: string): PlatformFailure {
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
function readBounded(path: string, maxBytes: number, source: string | Buffer = path): Buffer | PlatformFailure {
  try {
    const info = statSync(source);
    if (info.isDirectory()) return { messageId: 'isDirectory', data: { path } };
    if (!info.isFile()) return { messageId: 'notRegularFile', data: { path } };
    const fd = openSync(source, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return { messageId: 'notRegularFile', data: { path } };
      if (opened.size > maxBytes) {
        return { messageId: 'fileTooLarge', data: { bytes: opened.size, limitMB: Math.round(maxBytes / 1048576) } };
      }
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return fsFailure(error as NodeJS.ErrnoException, path);
  }
}

let libheifModule: LibHeif | undefined;
/** libheif-js, required on first use: its 2 MB of WebAssembly load only when an HEIC photo turns up. */
const libheif = (): LibHeif => (libheifModule ??= require('libheif-js/wasm-bundle') as LibHeif);

/** An HEIC photo decoded to upright 8-bit RGB (heif.ts; the rotation is libheif's, not EXIF's). */
async function decodeHeic(bytes: Buffer, maxPixels: number): Promise<RgbImage> {
  const { rgba, width, height } = await decodeHeif(libheif(), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), maxPixels);
  const rgb = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } }).removeAlpha().raw().toBuffer();
  return { data: rgb, width, height };
}

/** The upright full-resolution picture as a sharp pipeline: from the file, or from RGB decoded once already (HEIC). */
function fullResolution(photo: Photo, maxPixels: number, seconds: number) {
  if (photo.decoded) return sharp(photo.decoded.data, { raw: { width: photo.decoded.width, height: photo.decoded.height, channels: 3 } });
  return sharp(photo.bytes, { limitInputPixels: maxPixels, failOn: 'truncated' }).timeout({ seconds }).rotate();
}

type Exifr = typeof import('exifr')['default'];
let exifrModule: Exifr | undefined;

/** Node 20's fetch cannot read file:// URLs, and the models load through fetch: serve them from disk, refuse the network. */
export const offlineFetch = (async (input: string | URL | Request) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith('file://')) return new Response(await readFile(fileURLToPath(url)));
  throw new Error(`gradphoto works offline and refused to fetch ${url}`);
}) as typeof fetch;

let onnx: Promise<unknown | undefined> | undefined;

export const platform: Platform = {
  name: 'node',
  readFile: readBounded,
  metadata: (bytes) => sharp(bytes, { limitInputPixels: false }).metadata(),
  async decodeRgb(input, size, limits) {
    let pipeline = (Buffer.isBuffer(input)
      ? sharp(input, { failOn: 'truncated', limitInputPixels: limits.maxPixels })
      : sharp(input.data, { raw: { width: input.width, height: input.height, channels: 3 } }))
      .timeout({ seconds: limits.seconds })
      .rotate() // apply EXIF orientation: rules see the photo as viewers show it
      .toColourspace('srgb')
      .removeAlpha();
    if (size) pipeline = pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return { data, width: info.width, height: info.height };
  },
  decodeHeic,
  async cropResize(photo, region, width, height) {
    const { data, info } = await fullResolution(photo, 100_000_000, 20)
      .toColourspace('srgb').removeAlpha()
      .extract(region)
      .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
      .raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  },
  async encodeJpeg(image, { quality, chroma, trellis, tables, density }) {
    const jpeg = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      // Baseline (the standard's samples are; optimiseScans and mozjpeg: true would make it progressive), Huffman tables optimised.
      .jpeg({ quality, chromaSubsampling: chroma, progressive: false, optimiseCoding: true, trellisQuantisation: trellis, quantisationTable: tables })
      .toBuffer();
    return withJfifDensity(jpeg, density);
  },
  /**
   * exifr, required on first use (a batch's main thread never reads EXIF) as the CommonJS bundle its
   * package names: an ESM import of it first scans 76 KB for export names.
   */
  async exifParse(bytes, options) {
    exifrModule ??= require('exifr') as Exifr;
    return (await exifrModule.parse(bytes, options as never)) ?? undefined;
  },
  wasmPrefix: () => path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep,
  modelsDir: path.join(here, '..', '..', '..', 'models'),
  modelUrl: (file) => pathToFileURL(file).href,
  join: (dir, file) => path.join(dir, file),
  fetch: offlineFetch,
  readModelFile: (file) => readFile(file),
  /**
   * onnxruntime-node if it is installed and its native library loads here; else undefined. Loaded with
   * require, as the CommonJS package it is: an ESM import first scans its source and the packages it
   * re-exports for export names, which took a worker thread about 100 ms of parsing and compiling.
   */
  onnxRuntime() {
    onnx ??= new Promise((resolve) => {
      try {
        resolve(require('onnxruntime-node'));
      } catch {
        resolve(undefined);
      }
    });
    return onnx;
  },
  env: (name) => process.env[name],
  warn: (text) => { process.stderr.write(`${text}\n`); },
};
