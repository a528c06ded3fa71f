/**
 * The JSON Schema of a profile file. schema/profile.schema.json in the package is this object, written
 * out (tests/profiles.test.ts keeps the two equal); validate.ts checks files against it here, so the
 * published schema and what gradphoto accepts cannot drift apart.
 */
const range = (title: string) => ({
  type: 'object', title, additionalProperties: false, required: ['min', 'max'],
  properties: { min: { type: 'number', minimum: 0 }, max: { type: 'number', minimum: 0 } },
});
const words = {
  type: 'object', additionalProperties: false, required: ['zh', 'en'],
  properties: { zh: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
};
const side = {
  anyOf: [
    { type: 'integer', minimum: 1, title: 'a whole number of pixels' },
    {
      type: 'object', title: 'an object {"min": px, "max": px} (either may be left out)', additionalProperties: false,
      properties: { min: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1 } },
    },
  ],
};
const levels = ['off', 'warn', 'error'];

export const profileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://gradphoto.invalid/schema/profile.schema.json',
  title: 'gradphoto profile',
  description: 'A photo standard: its frame, byte window, background colours, geometry, dpi and which rules apply, with the source of every number. Sections left out come from the profile named by "extends" (default: the default profile).',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'sources', 'confidence'],
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]*$', description: 'what --profile and reports call it' },
    extends: { type: 'string', description: 'a built-in profile to start from' },
    name: { ...words, description: 'the standard\'s name in Chinese and English' },
    sources: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    confidence: { enum: ['high', 'medium', 'low'], description: 'high: the notice itself; medium: two independent copies agree; low: one copy, or old' },
    frame: {
      type: 'object', additionalProperties: false, required: ['width', 'height'],
      properties: {
        width: side,
        height: side,
        aspect: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', exclusiveMinimum: 0 }, description: '[width, height], e.g. [3, 4]' },
        target: {
          type: 'object', additionalProperties: false, required: ['width', 'height'], description: 'the size fix makes and geometry is measured in',
          properties: { width: { type: 'integer', minimum: 1 }, height: { type: 'integer', minimum: 1 } },
        },
      },
    },
    bytes: {
      type: 'object', additionalProperties: false, required: ['min', 'max'],
      properties: {
        min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 1 },
        warnMin: { type: 'integer', minimum: 0 }, warnMax: { type: 'integer', minimum: 1 },
      },
    },
    background: {
      type: 'object', additionalProperties: false, required: ['colours'],
      properties: {
        colours: {
          type: 'array', minItems: 1,
          items: {
            type: 'object', additionalProperties: false, required: ['id', 'rgb', 'name'],
            properties: {
              id: { type: 'string', pattern: '^[a-z][a-z-]*$', description: 'what fix --background calls it: blue, white, grey' },
              rgb: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'integer', minimum: 0, maximum: 255 } },
              name: words,
            },
          },
        },
        tolerance: { type: 'number', exclusiveMinimum: 0, description: 'CIEDE2000 distance to an allowed colour that passes' },
        warnTolerance: { type: 'number', exclusiveMinimum: 0, description: 'CIEDE2000 distance that still only warns' },
      },
    },
    dpi: { type: ['number', 'null'], exclusiveMinimum: 0, description: 'null: the standard asks for no density' },
    jpegQuality: { type: 'integer', minimum: 1, maximum: 100 },
    geometry: {
      type: 'object', additionalProperties: false, required: ['unit'],
      properties: {
        unit: { enum: ['px', 'fraction'], description: 'px of the frame, or fractions of its width (faceWidth, maxCentreOffset) and height (headTop, eyeLine)' },
        faceWidth: range('face width, cheek to cheek'),
        headTop: range('head top from the top edge'),
        eyeLine: range('eye line from the top edge'),
        maxCentreOffset: { type: 'number', minimum: 0 },
      },
    },
    glasses: { enum: ['allowed', 'warn', 'forbidden'] },
    rules: {
      type: 'object',
      propertyNames: { pattern: '^[a-z]+\\.[a-z-]+$' },
      additionalProperties: {
        anyOf: [
          { enum: levels, title: 'a level: off, warn or error' },
          {
            type: 'object', title: 'an object {"level", "options"}', additionalProperties: false,
            properties: { level: { enum: levels }, options: { type: 'object' } },
          },
        ],
      },
    },
    notes: { type: 'object', additionalProperties: { type: 'string' }, description: 'the source of each section\'s numbers, by section name' },
  },
} as const;
