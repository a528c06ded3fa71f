/**
 * The browser platform (src/platform/types.ts): the page's bundle puts this module in place of the
 * Node one (web/build.mjs), so the CLI's pipeline runs unchanged. Pictures are decoded by the browser
 * (createImageBitmap, EXIF orientation applied, sRGB), drawn to an OffscreenCanvas and read back as
 * RGB; JPEGs are encoded by mozjpeg compiled to WebAssembly (@jsquash/jpeg); the models and .wasm files
 * come from the page's own origin, and any other address is refused.
 */
import exifr from 'exifr';
import { decodeHeif, type LibHeif } from '../../src/platform/heif.js';
import { withJfifDensity } from '../../src/platform/jfif.js';
import type { Platform, RgbImage } from '../../src/platform/types.js';
import { parseJpegStructure } from '../../src/formats/jpeg-structure.js';
import { readHeader } from './header.js';

export type { DecodeLimits, JpegOptions, Platform, PlatformFailure, Region, RgbImage } from '../../src/platform/types.js';

/** A fetch for the page's own files only: the page works offline, and its CSP says so too. */
const ownFetch = ((input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
  if (url.origin !== location.origin) return Promise.reject(new Error(`gradphoto works offline and refused to fetch ${url.href}`));
  return fetch(url, init);
}) as typeof fetch;

/**
 * libheif (LGPL-3.0) compiled to WebAssembly, as on Node: its 1.4 MB .wasm is fetched from the page's
 * own wasm/ folder the first time an HEIC photo (an iPhone's default) is dropped, never before.
 */
let heif: Promise<LibHeif> | undefined;
const libheif = (): Promise<LibHeif> => (heif ??= (async () => {
  const response = await ownFetch(new URL('wasm/libheif.wasm', location.href));
  if (!response.ok) throw new Error(`wasm/libheif.wasm: HTTP ${response.status}`);
  const { default: factory } = await import('libheif-js/libheif-wasm/libheif.js');
  return (factory as unknown as (options: { wasmBinary: ArrayBuffer }) => LibHeif)({ wasmBinary: await response.arrayBuffer() });
})());

const bytesOf = (data: Uint8Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength) as Uint8Array<ArrayBuffer>;

/** RGBA from a canvas as the pipeline's RGB. */
function toRgb(rgba: Uint8ClampedArray, width: number, height: number): RgbImage {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    data[i] = rgba[j]; data[i + 1] = rgba[j + 1]; data[i + 2] = rgba[j + 2];
  }
  return { data, width, height };
}

function toRgba(image: RgbImage): ImageData {
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) {
    rgba[j] = image.data[i]; rgba[j + 1] = image.data[i + 1]; rgba[j + 2] = image.data[i + 2]; rgba[j + 3] = 255;
  }
  return new ImageData(rgba, image.width, image.height);
}

/** The file decoded by the browser, upright. A JPEG that stops before its end is refused, as libvips refuses it (the browser would fill it with grey). */
async function bitmapOf(input: Uint8Array | RgbImage): Promise<ImageBitmap> {
  if (!(input instanceof Uint8Array)) return createImageBitmap(toRgba(input));
  if (input[0] === 0xff && input[1] === 0xd8 && parseJpegStructure(Buffer.from(input.buffer, input.byteOffset, input.byteLength)).truncated) {
    throw new Error('premature end of JPEG file');
  }
  return createImageBitmap(new Blob([bytesOf(input)]), { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'default' });
}

/** Draw (part of) a bitmap scaled onto a canvas of width x height and read it back. */
function draw(bitmap: ImageBitmap, width: number, height: number, region = { left: 0, top: 0, width: bitmap.width, height: bitmap.height }): RgbImage {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' })!;
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, region.left, region.top, region.width, region.height, 0, 0, width, height);
  return toRgb(context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data, width, height);
}

type Mozjpeg = typeof import('@jsquash/jpeg/encode.js');
let jpegReady: Promise<Mozjpeg['default']> | undefined;
/**
 * mozjpeg's encoder, loaded when fix first encodes (the page itself never does), its WebAssembly
 * compiled from the page's own copy (not fetched by the codec from where it thinks it lives).
 */
const jpegEncoder = () => (jpegReady ??= (async () => {
  const codec: Mozjpeg = await import('@jsquash/jpeg/encode.js');
  await codec.init(await WebAssembly.compileStreaming(ownFetch('wasm/mozjpeg_enc.wasm')));
  return codec.default;
})());

const exifOptions = { tiff: true, ifd0: {}, exif: true, gps: false, interop: false, ifd1: false, xmp: false, icc: false, iptc: false, jfif: false, ihdr: false, translateKeys: true, translateValues: false, reviveValues: true, mergeOutput: true };

export const platform: Platform = {
  name: 'browser',
  readFile: (path) => ({ messageId: 'notFound', data: { path } }),
  async metadata(bytes) {
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const exif = jpeg ? await exifr.parse(bytesOf(bytes), exifOptions as never).catch(() => undefined) : undefined;
    return readHeader(bytes, exif);
  },
  async decodeRgb(input, size) {
    const bitmap = await bitmapOf(input);
    try {
      return draw(bitmap, size?.width ?? bitmap.width, size?.height ?? bitmap.height);
    } finally {
      bitmap.close();
    }
  },
  async decodeHeic(bytes, maxPixels) {
    const { rgba, width, height } = await decodeHeif(await libheif(), bytesOf(bytes), maxPixels);
    return toRgb(rgba, width, height);
  },
  async cropResize(photo, region, width, height) {
    const bitmap = await bitmapOf(photo.decoded ?? photo.bytes);
    try {
      return draw(bitmap, width, height, region);
    } finally {
      bitmap.close();
    }
  },
  // squoosh's mozjpeg build starts from mozjpeg's defaults and trellis-quantises always (measured: its bytes are
  // sharp's with trellisQuantisation, to the JFIF header's 2 bytes, with either table): `trellis: false` is not honoured here.
  async encodeJpeg(image, { quality, chroma, tables, density }) {
    const encodeMozjpeg = await jpegEncoder();
    const encoded = await encodeMozjpeg(toRgba(image), {
      quality, baseline: true, progressive: false, optimize_coding: true, arithmetic: false, smoothing: 0,
      // The same tables as the CLI's sharp (platform/index.ts): 0 the JPEG standard's, 2 mozjpeg's MS-SSIM-tuned.
      quant_table: tables, auto_subsample: false, chroma_subsample: chroma === '4:4:4' ? 1 : 2,
      separate_chroma_quality: false, chroma_quality: quality, color_space: 3,
      trellis_multipass: false, trellis_opt_zero: false, trellis_opt_table: false, trellis_loops: 1,
    });
    return withJfifDensity(new Uint8Array(encoded), density);
  },
  async exifParse(bytes, options) {
    return (await exifr.parse(bytesOf(bytes), options as never)) ?? undefined;
  },
  wasmPrefix: () => new URL('wasm/', location.href).href,
  modelsDir: 'models',
  modelUrl: (file) => new URL(file, location.href).href,
  join: (dir, file) => `${dir}/${file}`,
  fetch: ownFetch,
  async readModelFile(file) {
    const response = await ownFetch(file);
    if (!response.ok) throw new Error(`${file}: ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  onnxRuntime: () => Promise.resolve(undefined),
  env: () => undefined,
  warn: (text) => console.warn(text),
};
