import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * HEIC test photos made here, from pixels: no sample photo is downloaded or committed. libheif-js can
 * only decode, so the HEVC picture is encoded by x265 inside the ffmpeg binary that the npm package
 * @ffmpeg-installer/ffmpeg brings for the platform (a devDependency; the binary is GPL-3.0, run by the tests
 * alone as a separate program, never shipped or linked), and wrapped here in the HEIF container an iPhone writes: ftyp, meta (hdlr, pitm, iloc,
 * iinf, iprp with hvcC and ispe) and mdat.
 */
export const FFMPEG: string | undefined = (() => {
  try {
    const { path } = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined; // no ffmpeg build for this platform: the HEIC tests say so and skip
  }
})();

/** One picture as an HEVC Annex B stream (x265, intra, 4:2:0, 8-bit). */
function encodeHevc(rgb: Buffer, width: number, height: number, quality: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-i', '-',
      '-frames:v', '1', '-c:v', 'libx265', '-pix_fmt', 'yuv420p', '-x265-params', `log-level=error:crf=${quality}:keyint=1`, '-f', 'hevc', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(stdout)));
    child.stdin!.end(rgb);
  });
}

/** The NAL units of an Annex B stream (start codes removed). */
function nalUnits(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let i = 0; i + 3 <= stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) { starts.push(i + 3); i += 2; }
  }
  return starts.map((start, k) => {
    let end = k + 1 < starts.length ? starts[k + 1] - 3 : stream.length;
    while (end > start && stream[end - 1] === 0) end--; // a 4-byte start code's leading zero
    return stream.subarray(start, end);
  });
}

const u8 = (n: number) => Buffer.from([n]);
const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const box = (type: string, ...parts: Buffer[]) => { const body = Buffer.concat(parts); return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]); };
const fullBox = (type: string, version: number, flags: number, ...parts: Buffer[]) => box(type, u8(version), u8(flags >> 16), u16(flags & 0xffff), ...parts);

/** hvcC: the decoder configuration, with the VPS, SPS and PPS; profile, tier and level copied from the SPS. */
function hvcC(vps: Buffer, sps: Buffer, pps: Buffer): Buffer {
  const rbsp = Buffer.from(sps.subarray(2).toString('latin1').replace(/\x00\x00\x03/g, '\x00\x00'), 'latin1');
  const profileTierLevel = rbsp.subarray(1, 13); // profile space/tier/idc, 32 compatibility flags, 48 constraint flags, level
  const arrays = [vps, sps, pps].map((nal) => Buffer.concat([u8(0x80 | ((nal[0] >> 1) & 0x3f)), u16(1), u16(nal.length), nal]));
  return box('hvcC', u8(1), profileTierLevel, u16(0xf000), u8(0xfc), u8(0xfd), u8(0xf8), u8(0xf8), u16(0), u8(0x0f), u8(arrays.length), ...arrays);
}

/** An HEIC file holding one picture of `rgb` (8-bit RGB, width x height). */
export async function makeHeic(rgb: Buffer, width: number, height: number, quality = 24): Promise<Buffer> {
  const nals = nalUnits(await encodeHevc(rgb, width, height, quality));
  const ofType = (type: number) => nals.filter((nal) => ((nal[0] >> 1) & 0x3f) === type);
  const slices = nals.filter((nal) => ((nal[0] >> 1) & 0x3f) < 32);
  const data = Buffer.concat(slices.map((nal) => Buffer.concat([u32(nal.length), nal])));
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  const meta = (offset: number) => fullBox('meta', 0, 0,
    fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), u32(0), u32(0), u32(0), u8(0)),
    fullBox('pitm', 0, 0, u16(1)),
    fullBox('iloc', 0, 0, u8(0x44), u8(0x00), u16(1), u16(1), u16(0), u16(1), u32(offset), u32(data.length)),
    fullBox('iinf', 0, 0, u16(1), fullBox('infe', 2, 0, u16(1), u16(0), Buffer.from('hvc1', 'latin1'), u8(0))),
    box('iprp',
      box('ipco', hvcC(ofType(32)[0], ofType(33)[0], ofType(34)[0]), fullBox('ispe', 0, 0, u32(width), u32(height))),
      fullBox('ipma', 0, 0, u32(1), u16(1), u8(2), u8(0x81), u8(0x02))));
  const offset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(offset), box('mdat', data)]);
}
