export type RuleLevel = 'error' | 'warn' | 'off';

export interface RuleSetting {
  /** 'error' (default): the rule's own statuses stand; 'warn': a fail is reported as warn; 'off': not run. */
  level?: RuleLevel;
  /** Overrides of the rule's defaultOptions. */
  options?: Record<string, unknown>;
}

export type Confidence = 'high' | 'medium' | 'low';

/** Pixel sizes a standard accepts, when it accepts more than its one frame (absent: exactly `frame`). */
export interface FrameRange {
  minWidth: number;
  /** 0: no upper limit. */
  maxWidth: number;
  minHeight: number;
  maxHeight: number;
  /** Width : height the photo must have, when the standard gives one. */
  aspect?: [number, number];
}

export interface Profile {
  id: string;
  /** The standard's name: reports and listings show it (the Chinese one in Chinese reports). */
  description: { zh: string; en: string };
  /** Where the numbers come from (notices, standards, the copies of them that could be read). */
  sources: string[];
  /**
   * How sure we are that the numbers are the standard's (research/standards.md): high (the notice itself),
   * medium (two independent copies agree), low (one copy, or old).
   */
  confidence: Confidence;
  /**
   * The frame every geometry rule measures in (photos of other sizes are scaled to it), and the size
   * `gradphoto fix` makes.
   */
  frame: { width: number; height: number };
  /** Sizes the standard accepts besides `frame` (a range, or a minimum and an aspect ratio). */
  frameRange?: FrameRange;
  /** The source of each section's numbers (frame, bytes, background, geometry, dpi, glasses...). */
  notes?: Record<string, string>;
  /** Rules in report order. */
  rules: Record<string, RuleSetting>;
}

/** A background colour a profile allows: `id` is what `gradphoto fix --background <id>` names it by. */
export interface ColourData {
  id: string;
  rgb: [number, number, number];
  name: { zh: string; en: string };
}

export interface RangeData {
  min: number;
  max: number;
}

/**
 * A profile as a file holds it (schema/profile.schema.json): a standard's numbers by section, in the
 * words of the standard; compileProfile turns it into the rules' options.
 */
export interface ProfileData {
  $schema?: string;
  id: string;
  /** A built-in profile whose rules and numbers this one starts from (default: the default profile). */
  extends?: string;
  name: { zh: string; en: string };
  sources: string[];
  confidence: Confidence;
  /**
   * Exact size: numbers. A range: {min, max}; a minimum: {min}. `aspect` [w, h] for a ratio; `target`
   * is the size fix makes and geometry is measured in (needed unless the size is exact).
   */
  frame?: {
    width: number | { min?: number; max?: number };
    height: number | { min?: number; max?: number };
    aspect?: [number, number];
    target?: { width: number; height: number };
  };
  /** File size window in bytes; warnMin/warnMax: an outer band that only warns. */
  bytes?: { min: number; max: number; warnMin?: number; warnMax?: number };
  /** Allowed background colours, the first the one fix uses by default; tolerances in CIEDE2000. */
  background?: { colours: ColourData[]; tolerance?: number; warnTolerance?: number };
  /** Declared density asked for; null: the standard asks for none (the rule is off). */
  dpi?: number | null;
  /** Lowest JPEG quality accepted. */
  jpegQuality?: number;
  /** Where the face must be, in pixels of the frame (target) or fractions of its width (faceWidth, maxCentreOffset) and height. */
  geometry?: {
    unit: 'px' | 'fraction';
    faceWidth?: RangeData;
    headTop?: RangeData;
    eyeLine?: RangeData;
    maxCentreOffset?: number;
  };
  /** allowed: not checked; warn: glasses only warn; forbidden: glasses fail. */
  glasses?: 'allowed' | 'warn' | 'forbidden';
  /** Rules by id: a level, or { level, options } for a rule's own calibration. */
  rules?: Record<string, RuleLevel | RuleSetting>;
  /** The source of every section's numbers, by section name. */
  notes?: Record<string, string>;
}
