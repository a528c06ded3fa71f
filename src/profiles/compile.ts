import type { Profile, ProfileData, RuleSetting } from './types.js';
import { ProfileError, type ProfileProblem } from './validate.js';

/** Options in pixels of the frame that a base profile calibrated: scaled when a profile changes the frame. */
const WIDTH_PX: Record<string, string[]> = { 'face.size': ['minWidth', 'maxWidth'], 'face.position': ['maxCentreOffset', 'tolerance'] };
const HEIGHT_PX: Record<string, string[]> = { 'face.position': ['headTopMin', 'headTopMax', 'eyeLineMin', 'eyeLineMax'] };

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * A profile file's data (already checked against the schema) as the Profile the rules run with: the
 * base profile's rules (`extends`, or `base`) with the data's sections turned into rule options.
 * Sections win over `rules` options for the keys they set. Mistakes the schema cannot see (a minimum
 * above its maximum, a target outside the frame range) throw a ProfileError naming the key and line.
 */
export function compileProfile(data: ProfileData, base: Profile | undefined, file = data.id, lineOf: (path: string) => number = () => 1): Profile {
  const found: ProfileProblem[] = [];
  const problem = (path: string, message: string) => found.push({ path, line: lineOf(path), message });
  const rules: Record<string, RuleSetting> = structuredClone(base?.rules ?? {});
  const set = (id: string, options: Record<string, unknown>) => { rules[id] = { ...rules[id], options: { ...rules[id]?.options, ...options } }; };
  const level = (id: string, value: RuleSetting['level']) => {
    const { level: _old, ...rest } = rules[id] ?? {};
    rules[id] = value === undefined || value === 'error' ? rest : { ...rest, level: value };
  };

  for (const [id, setting] of Object.entries(data.rules ?? {})) {
    rules[id] ??= {};
    if (typeof setting === 'string') level(id, setting);
    else {
      if (setting.options) set(id, setting.options);
      if (setting.level) level(id, setting.level);
    }
  }

  // Frame: exact, a range, or a minimum, with an aspect ratio.
  let frame = base?.frame;
  let frameRange: Profile['frameRange'] = base?.frameRange;
  if (data.frame) {
    const { width, height, aspect, target } = data.frame;
    const exact = typeof width === 'number' && typeof height === 'number';
    const side = (value: number | { min?: number; max?: number }) => (typeof value === 'number' ? { min: value, max: value } : { min: value.min ?? 1, max: value.max ?? 0 });
    const w = side(width); const h = side(height);
    if (w.max && w.min > w.max) problem('frame.width', `min ${w.min} is above max ${w.max}`);
    if (h.max && h.min > h.max) problem('frame.height', `min ${h.min} is above max ${h.max}`);
    if (!exact && !target) problem('frame', 'a size range or minimum needs "target": the size fix makes and geometry is measured in');
    frame = target ?? { width: w.min, height: h.min };
    const inside = (v: number, r: { min: number; max: number }) => v >= r.min && (!r.max || v <= r.max);
    if (target && (!inside(target.width, w) || !inside(target.height, h))) problem('frame.target', `${target.width}x${target.height} is not a size the frame allows`);
    if (aspect && Math.abs((frame.width / frame.height) / (aspect[0] / aspect[1]) - 1) > 0.01) problem(target ? 'frame.target' : 'frame', `${frame.width}x${frame.height} is not ${aspect[0]}:${aspect[1]}`);
    frameRange = exact && !aspect ? undefined : { minWidth: w.min, maxWidth: w.max, minHeight: h.min, maxHeight: h.max, ...(aspect ? { aspect } : {}) };
    set('image.dimensions', {
      width: frame.width, height: frame.height,
      minWidth: w.min, maxWidth: w.max, minHeight: h.min, maxHeight: h.max,
      aspectWidth: aspect?.[0] ?? 0, aspectHeight: aspect?.[1] ?? 0,
    });
  }
  if (!frame) { problem('frame', 'is missing (there is no profile to extend)'); frame = { width: 1, height: 1 }; }

  // Calibrated pixel limits of the base, moved to this frame.
  if (base && (base.frame.width !== frame.width || base.frame.height !== frame.height)) {
    const kx = frame.width / base.frame.width; const ky = frame.height / base.frame.height;
    for (const [table, k] of [[WIDTH_PX, kx], [HEIGHT_PX, ky]] as const) {
      for (const [id, keys] of Object.entries(table)) {
        const options = rules[id]?.options;
        if (!options) continue;
        set(id, Object.fromEntries(keys.filter((key) => typeof options[key] === 'number').map((key) => [key, round1((options[key] as number) * k)])));
      }
    }
  }

  if (data.bytes) {
    const { min, max, warnMin = min, warnMax = max } = data.bytes;
    if (min > max) problem('bytes.min', `${min} is above max ${max}`);
    if (warnMin > min) problem('bytes.warnMin', `${warnMin} is above min ${min} (the warn band lies outside the window)`);
    if (warnMax < max) problem('bytes.warnMax', `${warnMax} is below max ${max} (the warn band lies outside the window)`);
    set('file.size', { minBytes: min, maxBytes: max, warnMinBytes: warnMin, warnMaxBytes: warnMax });
  }

  if (data.background) {
    const { colours, tolerance, warnTolerance } = data.background;
    const ids = colours.map((c) => c.id);
    ids.forEach((id, i) => { if (ids.indexOf(id) !== i) problem(`background.colours.${i}.id`, `"${id}" is used twice`); });
    if (tolerance !== undefined && warnTolerance !== undefined && warnTolerance < tolerance) problem('background.warnTolerance', `${warnTolerance} is below tolerance ${tolerance}`);
    set('background.color', {
      colours: structuredClone(colours),
      ...(tolerance !== undefined ? { passBelow: tolerance } : {}),
      ...(warnTolerance !== undefined ? { warnBelow: warnTolerance } : {}),
    });
  }

  if (data.dpi === null) level('image.dpi', 'off');
  else if (data.dpi !== undefined) { set('image.dpi', { dpi: data.dpi }); level('image.dpi', undefined); }
  if (data.jpegQuality !== undefined) set('image.jpeg-quality', { minQuality: data.jpegQuality });

  if (data.geometry) {
    const { unit, faceWidth, headTop, eyeLine, maxCentreOffset } = data.geometry;
    const kx = unit === 'fraction' ? frame.width : 1; const ky = unit === 'fraction' ? frame.height : 1;
    for (const [key, range] of Object.entries({ faceWidth, headTop, eyeLine })) {
      if (!range) continue;
      if (range.min > range.max) problem(`geometry.${key}`, `min ${range.min} is above max ${range.max}`);
      if (unit === 'fraction' && range.max > 1) problem(`geometry.${key}.max`, `${range.max} is not a fraction of the frame (unit is "fraction": 0–1)`);
    }
    const r = (v: number) => round1(v);
    if (faceWidth) set('face.size', { minWidth: r(faceWidth.min * kx), maxWidth: r(faceWidth.max * kx) });
    if (headTop) set('face.position', { headTopMin: r(headTop.min * ky), headTopMax: r(headTop.max * ky) });
    if (eyeLine) set('face.position', { eyeLineMin: r(eyeLine.min * ky), eyeLineMax: r(eyeLine.max * ky) });
    if (maxCentreOffset !== undefined) set('face.position', { maxCentreOffset: r(maxCentreOffset * kx) });
  }

  if (data.glasses) level('face.glasses', data.glasses === 'allowed' ? 'off' : data.glasses === 'warn' ? 'warn' : undefined);

  if (found.length > 0) throw new ProfileError(file, found);
  return {
    id: data.id,
    description: { ...data.name },
    sources: [...data.sources],
    confidence: data.confidence,
    frame: { ...frame },
    ...(frameRange ? { frameRange } : {}),
    notes: { ...base?.notes, ...data.notes },
    rules,
  };
}
