/**
 * A JPEG's resolution declared the cheapest way: in its JFIF APP0 segment (18 bytes), set or added. The encoders
 * write none (mozjpeg through sharp) or one without units (squoosh's); sharp's withMetadata({ density }) declares it
 * with an EXIF block and an sRGB ICC profile instead, 688 bytes of a 40000-byte budget the picture can use
 * (image.dpi reads the JFIF density; image.color takes a file without a profile as sRGB).
 */
export function withJfifDensity(jpeg: Uint8Array, density: number): Buffer {
  const out = Buffer.from(jpeg);
  if (out[2] === 0xff && out[3] === 0xe0 && out.toString('latin1', 6, 11) === 'JFIF\0') {
    out[13] = 1; // dots per inch
    out.writeUInt16BE(density, 14);
    out.writeUInt16BE(density, 16);
    return out;
  }
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, density >> 8, density & 255, density >> 8, density & 255, 0, 0]);
  return Buffer.concat([out.subarray(0, 2), app0, out.subarray(2)]);
}
