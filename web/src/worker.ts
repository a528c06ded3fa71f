/**
 * The page's checking thread: decoding, the face models, the rules and fix run here, so the page stays
 * responsive (scrolling, the language switch, the progress line) while a class folder is checked. It
 * holds each checked photo (its decoded pixels) under the key the page gave it, for the overlay and fix.
 */
import { summarise } from '../../src/contract/summary.js';
import type { Lang, Report } from '../../src/contract/types.js';
import { formatCsv } from '../../src/report/csv.js';
import { refusalMessage } from '../../src/report/fix-refusal.js';
import type { RosterReport } from '../../src/roster/roster.js';
import { checkPhoto, fixPhoto, geometry, profile, recheck, rerun, useProfile, useProfileText, type Checked } from './pipeline.js';

/** What the page asks; every answer carries the request's id. */
export type Request =
  | { id: number; op: 'check'; key: number; name: string; bytes: Uint8Array; lang: Lang }
  | { id: number; op: 'word'; key: number; lang: Lang }
  | { id: number; op: 'profile'; profile: string }
  | { id: number; op: 'profileFile'; text: string; file: string }
  | { id: number; op: 'rerun'; key: number; lang: Lang }
  | { id: number; op: 'geometry'; key: number }
  | { id: number; op: 'fix'; key: number }
  | { id: number; op: 'csv'; keys: number[]; lang: Lang; roster?: RosterReport }
  | { id: number; op: 'forget' };

const held = new Map<number, Checked>();
const photoOf = (key: number): Checked => {
  const checked = held.get(key);
  if (!checked) throw new Error(`no photo ${key} is held`);
  return checked;
};

async function answer(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'check': {
      const checked = await checkPhoto(request.name, request.bytes, request.lang);
      held.set(request.key, checked);
      return { result: checked.result, photo: checked.outcome.kind === 'photo' };
    }
    case 'word': return recheck(photoOf(request.key), request.lang);
    case 'profile': useProfile(request.profile); return undefined;
    case 'profileFile': {
      // A mistake in the file throws (ProfileError: each key and line), and the page shows it; the profile in use stays.
      const loaded = useProfileText(request.text, request.file);
      return { id: loaded.id, description: loaded.description };
    }
    case 'rerun': return rerun(photoOf(request.key), request.lang);
    case 'geometry': {
      const { outcome } = photoOf(request.key);
      return outcome.kind === 'photo' ? geometry(outcome.photo) : undefined;
    }
    case 'fix': {
      const made = await fixPhoto(photoOf(request.key));
      // Only what the page shows travels back: the JPEG, the steps, the re-check's verdict and the judgement.
      const outcome = made.outcome && { jpeg: new Uint8Array(made.outcome.jpeg), steps: made.outcome.steps, review: made.outcome.review };
      const checked = photoOf(request.key);
      // A refusal is worded here, in both languages, where the rules' words are.
      const said = made.refusal && { zh: refusalMessage('zh', made.refusal.messageId, made.refusal.data, checked.name), en: refusalMessage('en', made.refusal.messageId, made.refusal.data, checked.name) };
      return { status: made.status, refusal: made.refusal, said, outcome, check: made.check && { verdict: made.check.verdict }, judgement: made.judgement };
    }
    case 'csv': {
      // The class's CSV report, as `gradphoto check --format csv` writes it.
      const report: Report = summarise(profile.id, request.keys.map((key) => recheck(photoOf(key), request.lang)));
      return formatCsv(report, request.lang, request.roster);
    }
    case 'forget': held.clear(); return undefined;
  }
}

self.addEventListener('message', (event: MessageEvent<Request>) => {
  const request = event.data;
  answer(request).then(
    (reply) => self.postMessage({ id: request.id, reply }),
    (error: unknown) => self.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
