import type { Metadata } from 'sharp';
import type { Photo } from '../contract/types.js';

/**
 * What the pipeline needs from the machine it runs on, and nothing else: read a file, decode a
 * picture to pixels, encode a JPEG, find the models. Node does it with node:fs and sharp
 * (platform/index.ts); the web page with the browser's decoder, a WASM JPEG encoder and its own origin
 * (web/src/platform.ts, which the page's bundle puts in place of platform/index.ts). Everything above
 * this floor (formats to fix) reaches the machine only through here, so the CLI and the page run
 * one pipeline.
 */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** The whole file at `path` if it is a regular file within `maxBytes`; else file.decode's reason. `source`: where to read when not `path`. */
  readFile(path: string, maxBytes: number, source?: string | Buffer): Buffer | PlatformFailure;
  /** The picture's header as sharp's metadata names it (format, size, orientation, density, space, channels, depth, alpha, ICC); throws for a corrupt one. */
  metadata(bytes: Buffer): Promise<Metadata>;
  /**
   * The picture upright (EXIF orientation applied), in 8-bit sRGB RGB, scaled to `size` when given.
   * `input` is the file, or RGB already decoded (HEIC). Throws with a decoder's message when it cannot.
   */
  decodeRgb(input: Buffer | RgbImage, size: { width: number; height: number } | undefined, limits: DecodeLimits): Promise<RgbImage>;
  /** An HEIC picture, upright, as RGB; refused above `maxPixels` ("pixel limit"). */
  decodeHeic(bytes: Buffer, maxPixels: number): Promise<RgbImage>;
  /** A region of the photo at full resolution, upright, scaled (Lanczos or the nearest the platform has) to width x height. */
  cropResize(photo: Photo, region: Region, width: number, height: number): Promise<RgbImage>;
  /** A baseline JPEG of `image`, with `density` dpi in its JFIF header. */
  encodeJpeg(image: RgbImage, options: JpegOptions): Promise<Buffer>;
  /** exifr's parse, loaded on first use. */
  exifParse(bytes: Buffer, options: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
  /** Where the tfjs WASM backend's .wasm files are (a folder path or URL prefix ending in a separator). */
  wasmPrefix(): string;
  /** The folder (or URL) of the vendored models, without a trailing separator. */
  readonly modelsDir: string;
  /** A model file's address for tfjs-converter's loader (a file: URL in Node, the path itself on the page). */
  modelUrl(file: string): string;
  /** `file` joined to `dir` in the platform's way. */
  join(dir: string, file: string): string;
  /** Fetch for the models: files of the package (Node) or the page's own origin; anything else refused. */
  fetch: typeof fetch;
  /** A file's bytes from `readFile`-like model storage (Node) or the origin (page). */
  readModelFile(file: string): Promise<Uint8Array>;
  /** onnxruntime-node if installed and loadable here (the page: never). */
  onnxRuntime(): Promise<unknown | undefined>;
  /** The engine the environment asks for (GRADPHOTO_ENGINE), if any. */
  env(name: string): string | undefined;
  /** A warning for a person at a terminal (Node: stderr); the page: the console. */
  warn(text: string): void;
}

export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface DecodeLimits {
  maxPixels: number;
  /** Decoding that takes longer is stopped. */
  seconds: number;
}

export interface JpegOptions {
  quality: number;
  /** '4:2:0' for the window search; '4:4:4' adds bytes to a very plain picture. */
  chroma: '4:2:0' | '4:4:4';
  /** mozjpeg trellis quantisation: coefficients chosen for rate and distortion together, smaller files at the same quality. */
  trellis: boolean;
  /**
   * Quantisation tables, scaled by quality the IJG way, as mozjpeg numbers them: 0 the JPEG standard's (Annex K:
   * libjpeg's, ImageMagick's, what image.jpeg-quality reads quality by), 2 mozjpeg's tuned for MS-SSIM.
   */
  tables: 0 | 2;
  density: number;
}

/** Why a file could not be read: a messageId of file.decode and its data. */
export interface PlatformFailure {
  messageId: string;
  data: Record<string, string | number>;
}
