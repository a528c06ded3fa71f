import type { Rule } from '../contract/types.js';
import type { Profile } from '../profiles/types.js';
import admissionDifferent from './admission-different.js';
import backgroundColor from './background-color.js';
import backgroundUniform from './background-uniform.js';
import clothingCollar from './clothing-collar.js';
import clothingContrast from './clothing-contrast.js';
import faceGlasses from './face-glasses.js';
import faceForeheadVisible from './face-forehead-visible.js';
import faceEarsVisible from './face-ears-visible.js';
import faceMakeup from './face-makeup.js';
import imageSharpness from './image-sharpness.js';
import imageExposure from './image-exposure.js';
import imageRetouch from './image-retouch.js';
import faceCount from './face-count.js';
import faceEyesOpen from './face-eyes-open.js';
import facePose from './face-pose.js';
import facePosition from './face-position.js';
import faceSize from './face-size.js';
import fileDecode from './file-decode.js';
import fileFormat from './file-format.js';
import fileSize from './file-size.js';
import fileTrailingData from './file-trailing-data.js';
import imageColor from './image-color.js';
import imageDimensions from './image-dimensions.js';
import imageDpi from './image-dpi.js';
import imageJpegQuality from './image-jpeg-quality.js';
import imageOrientation from './image-orientation.js';

/** Every built-in rule, by id. Adding a rule: one file in src/rules, one line here, its messages in src/i18n. */
export const builtinRules: ReadonlyMap<string, Rule<any>> = new Map(
  [
    fileDecode, fileFormat, fileTrailingData, fileSize,
    imageDimensions, imageColor, imageOrientation, imageDpi, imageJpegQuality,
    faceCount, faceSize, facePosition, facePose, faceEyesOpen,
    faceGlasses, faceEarsVisible, faceForeheadVisible, faceMakeup,
    backgroundColor, backgroundUniform, clothingContrast, clothingCollar,
    imageSharpness, imageExposure, imageRetouch,
    admissionDifferent,
  ].map((rule) => [rule.id, rule as Rule<any>]),
);

/**
 * A built-in rule's options as `profile` resolves them over the rule's own defaults: the one source of
 * every limit for code outside the rule that must agree with it (fix aims inside the ranges the rules
 * check; the annotation draws them).
 */
export function ruleOptions<O = Record<string, unknown>>(profile: Profile, id: string): O {
  const rule = builtinRules.get(id);
  if (!rule) throw new Error(`no built-in rule ${id}`);
  return { ...rule.meta.defaultOptions, ...profile.rules[id]?.options } as O;
}
