import type { Face } from '../analysis/face.js';
import type { HeadTop } from '../analysis/head-top.js';

/** Where the face must land in the output frame (the middle of the standard's ranges). */
export interface GeometryTarget {
  frameWidth: number;
  frameHeight: number;
  faceWidth: { min: number; max: number; ideal: number };
  headTop: { min: number; max: number };
  eyeLine: { min: number; max: number };
  /** Largest enlargement allowed before the result would look soft. */
  maxUpscale: number;
  /** Keep this far inside each range, px. */
  margin: number;
}

export interface CropPlan {
  /** Output pixels per source pixel. */
  scale: number;
  /** Crop rectangle in source pixels; may reach outside the picture (then it is padded). */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Where the face lands in the output frame. */
  expected: { faceWidth: number; headTop: number; eyeLine: number };
}

export type PlanRefusal =
  | { reason: 'faceTooSmall'; data: { faceWidth: number; needed: number } }
  | { reason: 'headTooTall'; data: Record<string, number> };

/** Source geometry in full-resolution pixels of the upright photo. */
export interface SourceGeometry {
  faceWidth: number;
  centreX: number;
  eyeLineY: number;
  headTopY: number;
}

export function sourceGeometry(face: Face, headTop: HeadTop, workingScale: number): SourceGeometry {
  return {
    faceWidth: face.faceWidth / workingScale,
    centreX: face.centreX / workingScale,
    eyeLineY: face.eyeLineY / workingScale,
    headTopY: headTop.y / workingScale,
  };
}

/**
 * Choose the scale and crop that put the face width, head top and eye line inside the standard's
 * ranges, as near their middles as the head's own proportions allow, centred horizontally.
 */
export function planCrop(source: SourceGeometry, target: GeometryTarget): CropPlan | PlanRefusal {
  // Keep the widest safety margin inside every range that the head's proportions allow: search the
  // whole feasible range (margins down to none) rather than drop straight to the ranges' edges, where a
  // measurement a pixel off fails the photo.
  let plan = planWithMargin(source, target, target.margin);
  for (let margin = target.margin - 0.5; 'reason' in plan && plan.reason === 'headTooTall' && margin >= 0; margin -= 0.5) {
    plan = planWithMargin(source, target, margin);
  }
  return plan;
}

function planWithMargin(source: SourceGeometry, target: GeometryTarget, margin: number): CropPlan | PlanRefusal {
  const headToEyes = source.eyeLineY - source.headTopY;
  // Scales at which the face width is inside its range, and at which the head (top to eyes) fits both bands.
  const widthLow = (target.faceWidth.min + margin) / source.faceWidth;
  const widthHigh = (target.faceWidth.max - margin) / source.faceWidth;
  const spanLow = (target.eyeLine.min - target.headTop.max + 2 * margin) / headToEyes;
  const spanHigh = (target.eyeLine.max - target.headTop.min - 2 * margin) / headToEyes;
  const low = Math.max(widthLow, spanLow);
  const high = Math.min(widthHigh, spanHigh);
  if (low > high) {
    return { reason: 'headTooTall', data: { faceWidth: Math.round(source.faceWidth), headToEyes: Math.round(headToEyes) } };
  }
  if (low > target.maxUpscale) {
    return { reason: 'faceTooSmall', data: { faceWidth: Math.round(source.faceWidth), needed: Math.ceil(low * source.faceWidth / target.maxUpscale) } };
  }
  const ideal = target.faceWidth.ideal / source.faceWidth;
  const scale = Math.min(high, target.maxUpscale, Math.max(low, ideal));
  // Eye line: inside its band, and such that the head top is inside its band too; take the middle.
  const span = scale * headToEyes;
  const eyeMin = Math.max(target.eyeLine.min + margin, target.headTop.min + margin + span);
  const eyeMax = Math.min(target.eyeLine.max - margin, target.headTop.max - margin + span);
  const eyeLine = (eyeMin + eyeMax) / 2;
  const width = target.frameWidth / scale;
  const height = target.frameHeight / scale;
  return {
    scale,
    left: source.centreX - width / 2,
    top: source.eyeLineY - eyeLine / scale,
    width, height,
    expected: { faceWidth: scale * source.faceWidth, headTop: eyeLine - span, eyeLine },
  };
}
