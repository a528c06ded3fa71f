import { parentPort, workerData } from 'node:worker_threads';
import type { FromSandbox, RuleDescription, ToSandbox } from './plugins.js';
import { describeThrown, jsonText, RULE_OUTPUT_LIMIT } from '../contract/rule.js';
import type { Photo, Rule } from '../contract/types.js';
import { loadForRule } from './load.js';

// The sandbox thread of --rule modules (see Sandbox in plugins.ts): imports them, then runs one check
// at a time on the photo last sent, and answers with JSON text, never with the rule's own objects.

const port = parentPort!;
const send = (message: FromSandbox) => port.postMessage(message);
const modules = (workerData as { modules: { path: string; url: string }[] }).modules;

function isRule(value: unknown): value is Rule<any> {
  const rule = value as Rule<any>;
  return typeof rule === 'object' && rule !== null && typeof rule.id === 'string' && typeof rule.check === 'function'
    && typeof rule.meta === 'object' && rule.meta !== null && Array.isArray(rule.meta.messageIds)
    && rule.meta.messageIds.every((id: unknown) => typeof id === 'string');
}

/** JSON text of a value, or the reason it has none (a function, undefined: not a finding). */
function toJson(value: unknown, what: string, limit: number): string {
  const text = jsonText(value, what, limit);
  if (text === undefined) throw new Error(`it returned ${typeof value}, not a finding { status, messageId }`);
  return text;
}
// A rule that prints (console.log) must not break a report on stdout: its output goes to stderr.
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const rules: Rule<any>[] = [];
try {
  const described: RuleDescription[] = [];
  for (const { path, url } of modules) {
    let module: { default?: unknown; rules?: unknown };
    try {
      module = await import(url);
    } catch (error) {
      throw new Error(`cannot load rule module ${path}: ${describeThrown(error)}`);
    }
    const exported = module.default ?? module.rules;
    for (const candidate of Array.isArray(exported) ? exported : [exported]) {
      if (!isRule(candidate)) {
        throw new Error(`${path} does not export a rule: expected { id, meta: { messageIds, messages, defaultOptions }, check() } as its default export`);
      }
      const { description, messageIds, messages, defaultOptions, needs } = candidate.meta;
      const meta = JSON.parse(toJson({ description, messageIds, messages, defaultOptions: defaultOptions ?? {}, needs }, `the meta of rule ${candidate.id}`, 256 * 1024));
      described.push({ id: candidate.id, meta });
      rules.push(candidate);
    }
  }
  send({ kind: 'loaded', rules: JSON.stringify(described) });
} catch (error) {
  send({ kind: 'loadFailed', message: describeThrown(error) });
}

let photo: Photo | undefined;
port.on('message', async (message: ToSandbox) => {
  if (message.kind === 'photo') {
    // Buffers arrive as Uint8Arrays: make them Buffers again, as rules in the main thread get them.
    const sent = message.photo;
    const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    photo = { ...sent, bytes: buffer(sent.bytes), pixels: { ...sent.pixels, data: buffer(sent.pixels.data) }, cache: new Map() };
    return;
  }
  const { call } = message;
  try {
    const found: unknown = await rules[message.rule].check({ photo: photo!, options: message.options, frame: message.frame, loadPhoto: loadForRule });
    if (typeof found === 'function') throw new Error('it returned a function, not a finding { status, messageId }');
    send({ kind: 'result', call, json: toJson(found, 'its result', RULE_OUTPUT_LIMIT) });
  } catch (error) {
    send({ kind: 'result', call, error: describeThrown(error) });
  }
});
