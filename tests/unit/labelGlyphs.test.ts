import { describe, expect, it } from 'vitest';
import { withGlyphGeneration } from '../../src/scene/cesium/labelGlyphs';

const FONT = '600 15px "Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, sans-serif';

describe('a Chinese label redrawn after its face loaded', () => {
  it.each([
    { what: 'generation 0 is the font as written', font: FONT, generation: 0, want: FONT },
    {
      what: 'a generation adds a family that matches no face, before the generic one',
      font: FONT,
      generation: 1,
      want: '600 15px "Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, "glyphs-1", sans-serif',
    },
    {
      what: 'the next generation replaces it (the list does not grow)',
      font: '600 15px "Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, "glyphs-1", sans-serif',
      generation: 2,
      want: '600 15px "Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, "glyphs-2", sans-serif',
    },
    { what: 'a single family is left alone', font: 'bold 15px sans-serif', generation: 3, want: 'bold 15px sans-serif' },
  ])('$what', ({ font, generation, want }) => {
    expect(withGlyphGeneration(font, generation)).toBe(want);
  });

  it('keeps the faces the browser would choose: the generation names none of them', () => {
    const families = (f: string) => f.replace(/^[^"]*?(?=")/, '').split(',').map((s) => s.trim()).filter((s) => !s.startsWith('"glyphs-'));
    expect(families(withGlyphGeneration(FONT, 5))).toEqual(families(FONT));
  });
});
