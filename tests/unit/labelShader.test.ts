/**
 * Every label collection of the globe links the same two programs (src/scene/cesium/labelShader.ts):
 * a label made without the shared no-op features, or a collection made with Cesium's default
 * blending, would link programs of its own on a cold start. Read from the sources, as the globe's
 * code needs WebGL to run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL_SHADER } from '../../src/scene/cesium/labelShader';

const ROOT = join(__dirname, '../../src/scene/cesium');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const sources = files(ROOT).map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

describe('one label shader', () => {
  it('every label is added with the shared features first', () => {
    const bare = sources.flatMap(({ file, text }) => [...text.matchAll(/labels\.add\(\{\s*(\S+)/g)].filter((m) => m[1] !== '...LABEL_SHADER,').map(() => file));
    expect(sources.some(({ text }) => text.includes('...LABEL_SHADER'))).toBe(true);
    expect(bare).toEqual([]);
  });

  it('label and marker point collections are made by the shared helpers', () => {
    const own = sources.filter(({ file }) => file !== 'labelShader.ts');
    expect(own.filter(({ text }) => /new LabelCollection\(/.test(text)).map((s) => s.file)).toEqual([]);
    // The device layer's and the cluster marks' points are opaque: the same program, blended as opaque.
    const points = own.flatMap(({ file, text }) => [...text.matchAll(/new PointPrimitiveCollection\(([^)]*)\)/g)].filter((m) => !m[1].includes('BlendOption.OPAQUE')).map(() => file));
    expect(points).toEqual([]);
  });

  it('the shared features neither hide nor fade a label at any camera distance', () => {
    const { distanceDisplayCondition: ddc, translucencyByDistance: fade } = LABEL_SHADER;
    for (const m of [0, 1, 1e3, 1e6, 4e7, 1e8]) {
      expect(m >= ddc.near && m <= ddc.far).toBe(true);
      // Cesium's czm_nearFarScalar: the near value up to the near distance.
      expect(m <= fade.near ? fade.nearValue : NaN).toBe(1);
    }
    // A far value under 1 is what makes Cesium compile the fade in (as the labels that do fade).
    expect(fade.farValue).toBeLessThan(1);
  });
});
