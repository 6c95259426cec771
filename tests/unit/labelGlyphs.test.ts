/**
 * A Chinese label's glyphs are laid out only once its face is in (src/scene/cesium/labelGlyphs.ts).
 * The gate against a stand-in for `document.fonts`; and the Cesium fields it relies on, read from
 * Cesium's sources.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaceGate, type Faces, type GatedLabel } from '../../src/scene/cesium/labelGlyphs';

const require = createRequire(import.meta.url);
const FONT = '600 15px "Noto Sans SC", "Microsoft YaHei", "Noto Sans SC Variable", system-ui, sans-serif';

/** Faces that are in for the characters in `loaded`; `load` resolves when the test says. */
function fakeFaces() {
  const loaded = new Set<string>();
  const asked: string[] = [];
  const pending: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const faces: Faces = {
    check: (_font, text) => [...text].every((c) => !/[\u3400-\u9fff]/.test(c) || loaded.has(c)),
    load: (_font, text) =>
      new Promise<void>((resolve, reject) => {
        asked.push(text);
        pending.push({ text, resolve, reject });
      }),
  };
  return { faces, loaded, asked, pending };
}

const label = (text: string): GatedLabel & { destroyed: boolean } => ({
  font: FONT,
  text,
  _rebindAllGlyphs: true,
  destroyed: false,
  isDestroyed() {
    return this.destroyed;
  },
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('a Chinese label waits for its face', () => {
  it('holds a Chinese label until its characters are in, asks once, and lays it out the frame after', async () => {
    const f = fakeFaces();
    let renders = 0;
    const gate = new FaceGate(f.faces, () => false, () => (renders += 1));
    const coll = {};
    const zh = label('危化品仓库');
    const en = label('Tank 3');
    const list: GatedLabel[] = [zh, en];
    gate.update(coll, list);
    expect(list).toEqual([en]);
    // A later frame before the load: still held, not asked again.
    const next: GatedLabel[] = [];
    gate.update(coll, next);
    expect(next).toEqual([]);
    expect(f.asked).toEqual(['危化品仓库']);

    for (const c of '危化品仓库') f.loaded.add(c);
    f.pending[0].resolve();
    await tick();
    expect(renders).toBe(1);
    const after: GatedLabel[] = [];
    gate.update(coll, after);
    expect(after).toEqual([zh]);
    // Laid out once: not held again, not handed back again.
    const later: GatedLabel[] = [];
    gate.update(coll, later);
    expect(later).toEqual([]);
  });

  it('a held label given Latin text is laid out at once; a removed one is dropped', () => {
    const f = fakeFaces();
    const gate = new FaceGate(f.faces, () => false, () => {});
    const coll = {};
    const a = label('一号罐');
    const b = label('二号罐');
    gate.update(coll, [a, b]);
    (a as { text: string }).text = 'Tank 1';
    b.destroyed = true;
    const list: GatedLabel[] = [];
    gate.update(coll, list);
    expect(list).toEqual([a]);
    expect(gate.held.get(coll)?.size).toBe(0);
  });

  it('labels only moved or restyled (no new glyphs) pass; a face that failed to load does not hold a label for ever', async () => {
    const f = fakeFaces();
    const gate = new FaceGate(f.faces, () => false, () => {});
    const coll = {};
    const moved = { ...label('园区入口'), _rebindAllGlyphs: false };
    const zh = label('园区入口');
    const list: GatedLabel[] = [moved, zh];
    gate.update(coll, list);
    expect(list).toEqual([moved]);
    f.pending[0].reject(new Error('network'));
    await tick();
    const after: GatedLabel[] = [];
    gate.update(coll, after);
    expect(after).toEqual([zh]);
  });

  it('holds nothing where a system face draws Chinese, and asks for no slice', () => {
    const f = fakeFaces();
    const gate = new FaceGate(f.faces, () => true, () => {});
    const list: GatedLabel[] = [label('危化品仓库')];
    gate.update({}, list);
    expect(list.length).toBe(1);
    expect(f.asked).toEqual([]);
  });
});

describe('the Cesium fields the gate works through', () => {
  // A Label needs a document to parse its font, so read Cesium's sources instead (as labelShader.test.ts does).
  const scene = join(dirname(require.resolve('@cesium/engine/package.json')), 'Source/Scene');
  const collection = readFileSync(join(scene, 'LabelCollection.js'), 'utf8');
  const labelJs = readFileSync(join(scene, 'Label.js'), 'utf8');

  it('add puts a label on the to-do list; the update lays out its glyphs only when it is flagged, from that list', () => {
    expect(collection).toMatch(/prototype\.add = function[\s\S]*?this\._labelsToUpdate\.push\(label\)/);
    const update = collection.slice(collection.indexOf('LabelCollection.prototype.update'));
    expect(update).toMatch(/if \(!this\.show\) \{\s*return;/);
    expect(update).toMatch(/const label = this\._labelsToUpdate\[i\];[\s\S]*?if \(label\._rebindAllGlyphs\) \{\s*rebindAllGlyphs\(this, label\);/);
    expect(update).toMatch(/this\._labelsToUpdate\.length = 0;/);
  });

  it('a new text flags the label and lists it only when it is not flagged already', () => {
    expect(labelJs).toMatch(
      /function rebindAllGlyphs\(label\) \{\s*if \(!label\._rebindAllGlyphs && !label\._repositionAllGlyphs\) \{[\s\S]*?_labelsToUpdate\.push\(label\);\s*\}\s*label\._rebindAllGlyphs = true;/,
    );
  });
});
