import { basename, extname } from 'node:path';
import { hammingDistance, landmarkDistance, signature, type FaceSignature } from '../analysis/signature.js';
import { defineRule, fail, pass, round, skip, warn } from '../core/rule.js';

export interface AdmissionOptions {
  /** Admission photo signatures by file stem (a folder of admission photos), or under '*' (one photo for all). */
  references: Record<string, FaceSignature & { path: string }>;
  /** At most this many differing hash bits (of 63) and this landmark distance: the same picture. */
  maxHashDistance: number;
  maxLandmarkDistance: number;
  /** Either this close: similar enough for a person to look. */
  similarHashDistance: number;
}

/** The graduation photo must not be the admission photo, even cropped, resized or re-encoded. */
export default defineRule<AdmissionOptions>({
  id: 'admission.different',
  meta: {
    description: { zh: '学历照片不能与录取照片相同', en: 'not the same picture as the admission photo' },
    messageIds: ['ok', 'same', 'similar', 'noReference', 'noSingleFace'],
    defaultOptions: { references: {}, maxHashDistance: 8, maxLandmarkDistance: 0.055, similarHashDistance: 12 },
  },
  async check({ photo, options }) {
    const stem = basename(photo.path, extname(photo.path));
    const reference = options.references[stem] ?? options.references['*'];
    if (!reference) return skip('noReference', { data: { name: stem } });
    const mine = await signature(photo);
    if (!mine) return skip('noSingleFace', { data: { count: 0 } });
    const bits = hammingDistance(mine.hash, reference.hash);
    const layout = round(landmarkDistance(mine.landmarks, reference.landmarks), 3);
    const rest = { data: { bits, layout, admission: reference.path }, measured: { hashDistance: bits, landmarkDistance: layout, admission: reference.path }, expected: { minHashDistance: options.maxHashDistance + 1 } };
    if (bits <= options.maxHashDistance && layout <= options.maxLandmarkDistance) return fail('same', rest);
    if (bits <= options.similarHashDistance || layout <= options.maxLandmarkDistance) return warn('similar', rest);
    return pass('ok', rest);
  },
});
