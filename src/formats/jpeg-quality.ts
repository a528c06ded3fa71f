import type { QuantTable } from './jpeg-structure.js';

// The example tables of ITU-T T.81 Annex K (natural order), which libjpeg, libjpeg-turbo, sharp
// (quantisationTable 0), ImageMagick and most cameras scale by the IJG quality setting.
export const STD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
export const STD_CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];
// zig-zag index -> natural index
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** libjpeg's jpeg_quality_scaling + jpeg_add_quant_table (force_baseline when 8-bit). */
export function scaledTable(std: number[], quality: number, baseline: boolean): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  return std.map((v) => {
    const q = Math.floor((v * scale + 50) / 100);
    return Math.min(Math.max(q, 1), baseline ? 255 : 32767);
  });
}

/** scaledTable for every quality 1..100, made once per table and baseline flag (estimates try them all, per photo). */
const scaledCache = new Map<number[], Map<boolean, readonly number[][]>>();
export function standardTable(std: number[], quality: number, baseline: boolean): readonly number[] {
  let byBaseline = scaledCache.get(std);
  if (!byBaseline) scaledCache.set(std, byBaseline = new Map());
  let all = byBaseline.get(baseline);
  if (!all) byBaseline.set(baseline, all = Array.from({ length: 101 }, (_, q) => (q === 0 ? [] : scaledTable(std, q, baseline))));
  return all[quality];
}

export interface QualityEstimate {
  /** IJG-scale quality 1..100. */
  quality: number;
  /** 'exact': the tables are the standard ones scaled to this quality; 'approximate': closest scaling of custom tables. */
  method: 'exact' | 'approximate';
}

function natural(table: QuantTable): number[] {
  const out = new Array<number>(64);
  for (let i = 0; i < 64; i++) out[ZIGZAG[i]] = table.values[i];
  return out;
}

/**
 * Estimate the encoder quality from the quantisation tables: try every IJG quality and keep the
 * one whose scaled standard tables are closest to the file's (luma weighted over chroma).
 */
export function estimateJpegQuality(tables: QuantTable[], componentTables: number[] = []): QualityEstimate | undefined {
  if (tables.length === 0) return undefined;
  const lumaId = componentTables[0] ?? tables[0].id;
  const luma = tables.find((t) => t.id === lumaId) ?? tables[0];
  const chromaId = componentTables.find((id) => id !== lumaId);
  const chroma = chromaId === undefined ? undefined : tables.find((t) => t.id === chromaId);
  const lumaNat = natural(luma);
  const chromaNat = chroma ? natural(chroma) : undefined;
  const baseline = luma.precision === 8;

  let best = { quality: 0, error: Infinity };
  for (let q = 1; q <= 100; q++) {
    const l = standardTable(STD_LUMA, q, baseline);
    let error = 0;
    for (let i = 0; i < 64; i++) error += Math.abs(l[i] - lumaNat[i]);
    if (chromaNat) {
      const c = standardTable(STD_CHROMA, q, baseline);
      for (let i = 0; i < 64; i++) error += 0.5 * Math.abs(c[i] - chromaNat[i]);
    }
    // Ties go to the higher quality: at the top end several qualities share tables of ones.
    if (error <= best.error) best = { quality: q, error };
  }
  return { quality: best.quality, method: best.error === 0 ? 'exact' : 'approximate' };
}
