/**
 * A picture's header in the shape of sharp's metadata (the fields rules read: format, size, channels,
 * space, depth, alpha, density, ICC), read from the bytes, as the page has no libvips. Each value is
 * what sharp reports for the same file; tests/web.test.ts compares the page's rule results with the CLI's.
 */
import type { Metadata } from 'sharp';
import { sniffContainer } from '../../src/formats/container.js';
import { parseJpegStructure } from '../../src/formats/jpeg-structure.js';

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);

/** The ICC profile an APP2 ICC_PROFILE chain carries, its chunks in sequence order. */
function jpegIcc(bytes: Uint8Array): Buffer | undefined {
  const chunks: [number, Uint8Array][] = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1];
    if (marker === 0xda || marker === 0xd9) break;
    const length = u16(bytes, at + 2);
    if (marker === 0xe2 && String.fromCharCode(...bytes.subarray(at + 4, at + 15)) === 'ICC_PROFILE') {
      chunks.push([bytes[at + 16], bytes.subarray(at + 18, at + 2 + length)]);
    }
    at += 2 + length;
  }
  if (chunks.length === 0) return undefined;
  return Buffer.concat(chunks.sort((a, b) => a[0] - b[0]).map(([, chunk]) => chunk));
}

/** EXIF resolution wins over JFIF's, as libvips reads them; units 0 (aspect ratio only) declare none. */
function densityOf(jfif: { units: number; x: number } | undefined, exif: Record<string, unknown> | undefined): number | undefined {
  const x = Number(exif?.XResolution);
  if (Number.isFinite(x) && x > 0) return Number(exif?.ResolutionUnit) === 3 ? x * 2.54 : x;
  if (jfif?.units === 1) return jfif.x;
  if (jfif?.units === 2) return jfif.x * 2.54;
  return undefined;
}

export function readHeader(bytes: Uint8Array, exif?: Record<string, unknown>): Metadata {
  const container = sniffContainer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const common = { depth: 'uchar', hasAlpha: false, space: 'srgb', channels: 3 };
  switch (container.name) {
    case 'JPEG': {
      const jpeg = parseJpegStructure(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (!jpeg.frameWidth || !jpeg.frameHeight) throw new Error('Input buffer has corrupt header: no frame header');
      const channels = jpeg.components ?? 3;
      const orientation = Number(exif?.Orientation);
      return {
        ...common, format: 'jpeg', width: jpeg.frameWidth, height: jpeg.frameHeight, channels,
        space: channels === 1 ? 'b-w' : channels === 4 ? 'cmyk' : 'srgb',
        depth: (jpeg.precision ?? 8) > 8 ? 'ushort' : 'uchar',
        density: densityOf(jpeg.jfifDensity, exif), icc: jpegIcc(bytes),
        orientation: orientation >= 1 && orientation <= 8 ? orientation : undefined,
        isProgressive: jpeg.coding === 'progressive',
      } as Metadata;
    }
    case 'PNG': {
      const colourType = bytes[25];
      const bitDepth = bytes[24];
      let transparency = false; let density: number | undefined;
      for (let at = 8; at + 8 <= bytes.length;) {
        const length = u32(bytes, at);
        const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
        if (type === 'tRNS') transparency = true;
        if (type === 'pHYs' && bytes[at + 16] === 1) density = u32(bytes, at + 8) * 0.0254;
        if (type === 'IDAT' || type === 'IEND') break;
        at += 12 + length;
      }
      const grey = colourType === 0 || colourType === 4;
      const alpha = colourType === 4 || colourType === 6 || transparency;
      const channels = (grey ? 1 : 3) + (alpha ? 1 : 0);
      const sixteen = bitDepth === 16;
      return {
        format: 'png', width: u32(bytes, 16), height: u32(bytes, 20), channels, hasAlpha: alpha,
        depth: sixteen ? 'ushort' : 'uchar', space: grey ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb',
        density: density === undefined ? undefined : Math.round(density * 1e4) / 1e4,
      } as Metadata;
    }
    case 'WebP': {
      const chunk = String.fromCharCode(...bytes.subarray(12, 16));
      if (chunk === 'VP8X') {
        const alpha = (bytes[20] & 0x10) !== 0;
        return { ...common, format: 'webp', width: le24(bytes, 24) + 1, height: le24(bytes, 27) + 1, channels: alpha ? 4 : 3, hasAlpha: alpha } as Metadata;
      }
      if (chunk === 'VP8L') {
        const bits = bytes[21] | (bytes[22] << 8) | (bytes[23] << 16) | (bytes[24] << 24);
        const alpha = ((bits >> 28) & 1) === 1;
        return { ...common, format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, channels: alpha ? 4 : 3, hasAlpha: alpha } as Metadata;
      }
      return { ...common, format: 'webp', width: le16(bytes, 26) & 0x3fff, height: le16(bytes, 28) & 0x3fff } as Metadata;
    }
    case 'GIF':
      // libvips decodes GIF frames to RGBA.
      return { ...common, format: 'gif', width: le16(bytes, 6), height: le16(bytes, 8), channels: 4, hasAlpha: true } as Metadata;
    default:
      throw new Error(`Input buffer contains unsupported image format (${container.label} is not decoded in the browser)`);
  }
}
