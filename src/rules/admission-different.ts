import { hammingDistance, landmarkDistance, signature, type FaceSignature } from '../analysis/signature.js';
import type { LoadedPhoto } from '../contract/types.js';
import { defineRule, fail, pass, round, skip, warn } from '../contract/rule.js';

/** An admission photo: its path, and its signature when the CLI measured it already (one photo for all). */
export type AdmissionReference = { path: string } & Partial<FaceSignature>;

export interface AdmissionOptions {
  /**
   * Admission photos by the path of the photo checked (matched by the CLI through the student number or
   * ID number in the names), or under '*' (one photo for all).
   */
  references: Record<string, AdmissionReference>;
  /** The admission folder, and per photo checked without a match the keys looked for there (for the message). */
  folder?: string;
  lookedFor?: Record<string, string[]>;
  /** At most this many differing hash bits (of 63) and this landmark distance: the same picture. */
  maxHashDistance: number;
  maxLandmarkDistance: number;
  /** Either this close: similar enough for a person to look. */
  similarHashDistance: number;
}

/** An admission photo measured: its signature, or why there is none (the file unreadable or undecodable, or no single face). */
export type MeasuredAdmission =
  | { signature: FaceSignature }
  | { messageId: 'referenceUnreadable'; reason: string; data: Record<string, string | number>; readable: boolean }
  | { messageId: 'referenceNoFace' };

/**
 * Signatures of admission photos, measured where they are needed: in the thread checking the matching
 * graduation photo, so a class's admission folder is read in parallel, only for the photos checked, and
 * one broken admission photo concerns one student rather than stopping the run.
 */
const measured = new Map<string, Promise<MeasuredAdmission>>();
export function measureAdmission(path: string, loadPhoto: (path: string) => Promise<LoadedPhoto>): Promise<MeasuredAdmission> {
  let pending = measured.get(path);
  if (!pending) {
    pending = (async (): Promise<MeasuredAdmission> => {
      const outcome = await loadPhoto(path);
      if (!('photo' in outcome)) return { messageId: 'referenceUnreadable', reason: outcome.failure, data: outcome.data, readable: outcome.readable };
      const found = await signature(outcome.photo);
      return found ? { signature: found } : { messageId: 'referenceNoFace' };
    })();
    measured.set(path, pending);
  }
  return pending;
}

/** The graduation photo must not be the admission photo, even cropped, resized or re-encoded. */
export default defineRule<AdmissionOptions>({
  id: 'admission.different',
  meta: {
    description: { zh: '学历照片不能与录取照片相同', en: 'not the same picture as the admission photo' },
    messageIds: ['ok', 'same', 'similar', 'noReference', 'noKey', 'noSingleFace', 'referenceUnreadable', 'referenceNoFace'],
    defaultOptions: { references: {}, maxHashDistance: 8, maxLandmarkDistance: 0.055, similarHashDistance: 12 },
  },
  async check({ photo, options, loadPhoto }) {
    const reference = options.references[photo.path] ?? options.references['*'];
    if (!reference) {
      // The teacher asked for the comparison: say, for this photo, that it could not be made and why.
      const keys = options.lookedFor?.[photo.path] ?? [];
      const data = { folder: options.folder ?? '', keys: keys.join(', ') };
      return warn(keys.length > 0 ? 'noReference' : 'noKey', { data, measured: null, expected: { admissionPhotoNamed: keys } });
    }
    let theirs: FaceSignature;
    if (reference.hash !== undefined && reference.landmarks !== undefined) {
      theirs = { hash: reference.hash, landmarks: reference.landmarks };
    } else {
      const found = await measureAdmission(reference.path, loadPhoto);
      if (!('signature' in found)) {
        const data = { admission: reference.path, ...('reason' in found ? { reason: found.reason } : {}) };
        return warn(found.messageId, { data, measured: found.messageId, expected: 'one face in the admission photo' });
      }
      theirs = found.signature;
    }
    const mine = await signature(photo);
    if (!mine) return skip('noSingleFace', { data: { count: 0 } });
    const bits = hammingDistance(mine.hash, theirs.hash);
    const layout = round(landmarkDistance(mine.landmarks, theirs.landmarks), 3);
    const rest = { data: { bits, layout, admission: reference.path }, measured: { hashDistance: bits, landmarkDistance: layout, admission: reference.path }, expected: { minHashDistance: options.maxHashDistance + 1 } };
    if (bits <= options.maxHashDistance && layout <= options.maxLandmarkDistance) return fail('same', rest);
    if (bits <= options.similarHashDistance || layout <= options.maxLandmarkDistance) return warn('similar', rest);
    return pass('ok', rest);
  },
});
