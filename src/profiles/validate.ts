import { profileSchema } from './schema.js';

/** One mistake in a profile file: where (the key's path and its line) and what is wrong. */
export interface ProfileProblem {
  path: string;
  line: number;
  message: string;
}

export class ProfileError extends Error {
  constructor(readonly file: string, readonly problems: ProfileProblem[]) {
    super(problems.map((p) => `${file}:${p.line}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'));
  }
}

/** Line (1-based) of each value in valid JSON text, by its path ("frame.width", "background.colours.0.rgb"). */
function linesOf(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0; let line = 1;
  const space = () => { while (i < text.length && /\s/.test(text[i])) { if (text[i] === '\n') line++; i++; } };
  const string = () => { const start = i; i++; while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1; i++; return JSON.parse(text.slice(start, i)) as string; };
  const value = (path: string) => {
    space();
    lines.set(path, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      i++; space();
      let index = 0;
      while (text[i] !== '}' && text[i] !== ']') {
        let key = String(index++);
        if (c === '{') { key = string(); space(); i++; /* : */ }
        const at = line;
        const child = path ? `${path}.${key}` : key;
        value(child);
        if (c === '{') lines.set(child, at); // a key's line is where the key is written
        space();
        if (text[i] === ',') { i++; space(); }
      }
      i++;
    } else if (c === '"') string();
    else { while (i < text.length && /[^\s,}\]]/.test(text[i])) i++; }
  };
  value('');
  return lines;
}

type Schema = Record<string, any>;

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value);
const fits = (value: unknown, type: string) => kind(value) === type || (type === 'number' && kind(value) === 'integer');
const shown = (value: unknown) => { const text = JSON.stringify(value); return text.length > 40 ? `${text.slice(0, 37)}...` : text; };

/** What the value at `path` breaks in `schema` (the subset of JSON Schema profileSchema uses). */
function problems(value: unknown, schema: Schema, path: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (schema.anyOf) {
    if ((schema.anyOf as Schema[]).some((branch) => problems(value, branch, path).length === 0)) return out;
    const branches = schema.anyOf as Schema[];
    // Of the branches of the value's own kind, say what is wrong inside the nearest one.
    const sameKind = branches.filter((b) => !b.type || fits(value, b.type as string) || (b.enum && typeof value === 'string'));
    if (sameKind.length === 1) return problems(value, sameKind[0], path);
    return [{ path, message: `must be ${branches.map((b) => b.title).join(', or ')}, not ${shown(value)}` }];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) return [{ path, message: `must be one of ${(schema.enum as string[]).join(', ')}, not ${shown(value)}` }];
  if (schema.type) {
    const types = ([] as string[]).concat(schema.type);
    if (!types.some((t) => fits(value, t))) return [{ path, message: `must be ${types.map((t) => (t === 'integer' ? 'a whole number' : t === 'null' ? 'null' : `${t === 'array' || t === 'object' ? 'an' : 'a'} ${t}`)).join(' or ')}, not ${shown(value)}` }];
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push({ path, message: `must be at least ${schema.minimum}, not ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum) out.push({ path, message: `must be at most ${schema.maximum}, not ${value}` });
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) out.push({ path, message: `must be more than ${schema.exclusiveMinimum}, not ${value}` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ path, message: 'must not be empty' });
    if (schema.pattern && !new RegExp(schema.pattern as string, 'u').test(value)) out.push({ path, message: `${shown(value)} does not match ${schema.pattern}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push({ path, message: `needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, has ${value.length}` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push({ path, message: `takes at most ${schema.maxItems} items, has ${value.length}` });
    if (schema.items) value.forEach((item, index) => { out.push(...problems(item, schema.items as Schema, at(index))); });
  }
  if (kind(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) out.push({ path, message: `"${key}" is missing` });
    for (const [key, child] of Object.entries(object)) {
      if (schema.propertyNames?.pattern && !new RegExp(schema.propertyNames.pattern as string, 'u').test(key)) {
        out.push({ path: at(key), message: `"${key}" is not a rule id (like "face.glasses")` });
        continue;
      }
      if (properties[key]) out.push(...problems(child, properties[key], at(key)));
      else if (schema.additionalProperties === false) {
        const known = Object.keys(properties);
        out.push({ path: at(key), message: `unknown key "${key}"${known.length ? ` (${path || 'a profile'} takes ${known.filter((k) => k !== '$schema').join(', ')})` : ''}` });
      } else if (typeof schema.additionalProperties === 'object') out.push(...problems(child, schema.additionalProperties as Schema, at(key)));
    }
  }
  return out;
}

/**
 * Parse a profile file's text and check it against profileSchema. Every mistake is reported with the
 * key's path and its line; a syntax error with its line. Returns the parsed value when there is none.
 */
export function parseProfileText(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1]);
    const line = /line (\d+)/.exec(message)?.[1];
    const lineNumber = line ? Number(line) : Number.isFinite(position) ? text.slice(0, position).split('\n').length : 1;
    throw new ProfileError(file, [{ path: '', line: lineNumber, message: `not valid JSON: ${message.replace(/^JSON\.parse: /, '')}` }]);
  }
  checkProfileValue(value, file, text);
  return value;
}

/** Check an already parsed profile against the schema; `text`, when given, supplies the lines. */
export function checkProfileValue(value: unknown, file: string, text?: string): void {
  const found = problems(value, profileSchema as unknown as Schema, '');
  if (found.length === 0) return;
  const lines = text ? linesOf(text) : new Map<string, number>();
  const lineOf = (path: string) => {
    for (let p = path; ; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      if (lines.has(p)) return lines.get(p)!;
      if (!p) return 1;
    }
  };
  throw new ProfileError(file, found.map((p) => ({ ...p, line: lineOf(p.path) })));
}

export { linesOf as profileLines };
