/**
 * HEIC (an iPhone's default) decoded by libheif-js: libheif and libde265 compiled to WebAssembly
 * (LGPL-3.0), the same code on Node and in the page; each platform loads the module its own way.
 */

/** The part of libheif-js that decodes a picture. */
interface HeifImage {
  get_width(): number;
  get_height(): number;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: { data: Uint8ClampedArray } | null) => void): void;
  free(): void;
}
export interface LibHeif { ready?: Promise<unknown>; HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: { delete(): void } } }

/**
 * The primary picture of an HEIC file as upright 8-bit RGBA: libheif applies the file's rotation and
 * mirroring itself, so the EXIF Orientation that iPhones also write must not be applied again. The
 * picture's size is read before its pixels are, so a huge one is refused before decoding.
 */
export async function decodeHeif(lib: LibHeif, bytes: Uint8Array, maxPixels: number): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  await lib.ready;
  const decoder = new lib.HeifDecoder();
  // libheif-js tells of a file it cannot parse with console.log, which would land in a JSON report on
  // stdout; the parse is synchronous, so nothing else can log while it is silenced.
  const log = console.log;
  console.log = () => undefined;
  let images: HeifImage[];
  try {
    images = decoder.decode(bytes);
  } finally {
    console.log = log;
  }
  try {
    if (images.length === 0) throw new Error('no picture in the HEIF file');
    const primary = images[0];
    const width = primary.get_width();
    const height = primary.get_height();
    if (width * height > maxPixels) throw new Error('Input image exceeds pixel limit');
    const rgba = await new Promise<Uint8ClampedArray>((resolve, reject) => {
      primary.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (result) => (result ? resolve(result.data) : reject(new Error('HEIF decoding failed'))));
    });
    return { rgba, width, height };
  } finally {
    for (const image of images) image.free();
    decoder.decoder.delete();
  }
}
