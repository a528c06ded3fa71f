/**
 * A rule tester, as ESLint's RuleTester is for lint rules: valid and invalid cases for one rule, each
 * run on a prepared photo (the analyses the rule reads given as values: no decoding, no models, no
 * process), with the findings checked against the rule contract and the expected status and messageId.
 *
 *   import { testRule } from 'gradphoto/testing';
 *   await testRule(facePose, {
 *     valid: [{ name: 'frontal', analyses: { face: oneFace({ yaw: 1 }) } }],
 *     invalid: [{ name: 'turned', analyses: { face: oneFace({ yaw: 9 }) }, expect: [{ status: 'fail', messageId: 'yaw' }] }],
 *   });
 *
 * It throws an AssertionError naming the case on the first mismatch, so it works under any test runner.
 */
import assert from 'node:assert/strict';
import type { Finding, LoadedPhoto, Photo, Rule, Status } from './contract/types.js';
import { DEFAULT_PROFILE, profiles } from './profiles/index.js';

/** Cases are photos of the default profile's frame unless they say otherwise. */
const DEFAULT_FRAME = profiles.get(DEFAULT_PROFILE)!.frame;

export interface RuleCase<O> {
  name: string;
  /** Analysis id → the value the analysis would have computed (e.g. `face`, `background`, `person`). */
  analyses?: Record<string, unknown>;
  /** Fields of the photo the rule reads directly (fileSize, meta, exif, width, height, path...). */
  photo?: Partial<Photo>;
  /** Options over the rule's defaultOptions. */
  options?: Partial<O>;
  frame?: { width: number; height: number };
  /** Other photos the rule loads (an admission photo), by path: prepared the same way, or a load failure. */
  others?: Record<string, Pick<RuleCase<unknown>, 'analyses' | 'photo'> | { failure: string; data: Record<string, string | number>; readable: boolean }>;
}

export interface InvalidCase<O> extends RuleCase<O> {
  /** The findings expected, in order: status and messageId, and data or measured where given. */
  expect: { status: Exclude<Status, 'pass'>; messageId: string; data?: Record<string, string | number>; measured?: unknown }[];
}

const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'skip'];

/** The analysis cache of a prepared photo: an analysis the case did not prepare is an error of the test, not computed. */
class StrictCache extends Map<string, Promise<unknown>> {
  constructor(private readonly caseName: string, entries: [string, Promise<unknown>][]) {
    super(entries);
  }

  override get(id: string): Promise<unknown> {
    if (this.has(id)) return super.get(id)!;
    const missing = Promise.reject(new Error(`case "${this.caseName}": the rule asked for the "${id}" analysis, which the case does not prepare (analyses: { ${id}: ... })`));
    missing.catch(() => undefined);
    return missing;
  }
}

/** A photo whose analyses are the given values; asking for any other analysis is an error of the test. */
export function preparedPhoto(prepared: RuleCase<unknown>): Photo {
  const strict = new StrictCache(prepared.name, Object.entries(prepared.analyses ?? {}).map(([id, value]) => [id, Promise.resolve(value)]));
  return {
    path: 'case.jpg', bytes: Buffer.alloc(0), fileSize: 0,
    container: { name: 'JPEG', label: 'JPEG', extensions: ['jpg', 'jpeg'] } as unknown as Photo['container'],
    meta: {} as Photo['meta'], width: DEFAULT_FRAME.width, height: DEFAULT_FRAME.height,
    pixels: { data: Buffer.alloc(0), width: DEFAULT_FRAME.width, height: DEFAULT_FRAME.height, scale: 1 },
    ...prepared.photo,
    cache: strict,
  };
}

/** The rule's findings for one case, checked against the contract the runner enforces. */
export async function runCase<O>(rule: Rule<O>, prepared: RuleCase<O>): Promise<Finding[]> {
  const options = { ...rule.meta.defaultOptions, ...prepared.options } as O;
  const loadPhoto = async (path: string): Promise<LoadedPhoto> => {
    const other = prepared.others?.[path];
    if (!other) throw new Error(`case "${prepared.name}": the rule loads ${path}, which the case does not prepare (others: { '${path}': ... })`);
    return 'failure' in other ? other : { photo: preparedPhoto({ name: `${prepared.name}: ${path}`, ...other, photo: { path, ...other.photo } }) };
  };
  const found = await rule.check({ photo: preparedPhoto(prepared as RuleCase<unknown>), options, frame: prepared.frame ?? DEFAULT_FRAME, loadPhoto });
  const findings = Array.isArray(found) ? found : [found];
  assert.ok(findings.length > 0, `case "${prepared.name}": ${rule.id} returned no finding`);
  for (const finding of findings) {
    assert.ok(STATUSES.includes(finding.status), `case "${prepared.name}": ${rule.id} returned status "${String(finding.status)}" (one of ${STATUSES.join(', ')})`);
    assert.ok(rule.meta.messageIds.includes(finding.messageId), `case "${prepared.name}": ${rule.id} returned messageId "${finding.messageId}", not in meta.messageIds`);
    assert.doesNotThrow(() => JSON.stringify(finding), `case "${prepared.name}": the finding must be plain JSON`);
  }
  return findings;
}

/** Every valid case passes (one `pass` finding); every invalid case gives exactly the findings it expects. */
export async function testRule<O>(rule: Rule<O>, cases: { valid?: RuleCase<O>[]; invalid?: InvalidCase<O>[] }): Promise<void> {
  for (const valid of cases.valid ?? []) {
    const findings = await runCase(rule, valid);
    assert.deepEqual(findings.map((f) => f.status), ['pass'], `valid case "${valid.name}": ${rule.id} gave ${findings.map((f) => `${f.status}:${f.messageId}`).join(', ')}`);
  }
  for (const invalid of cases.invalid ?? []) {
    const findings = await runCase(rule, invalid);
    const got = findings.map((f) => `${f.status}:${f.messageId}`);
    assert.deepEqual(got, invalid.expect.map((e) => `${e.status}:${e.messageId}`), `invalid case "${invalid.name}": ${rule.id}`);
    invalid.expect.forEach((expected, i) => {
      if (expected.data) assert.deepEqual(findings[i].data, expected.data, `invalid case "${invalid.name}": data of finding ${i}`);
      if (expected.measured !== undefined) assert.deepEqual(findings[i].measured, expected.measured, `invalid case "${invalid.name}": measured of finding ${i}`);
    });
  }
}
