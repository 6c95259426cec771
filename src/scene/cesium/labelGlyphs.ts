/**
 * Chinese label glyphs drawn before the app's own Chinese face had them. Cesium draws each glyph
 * of a label collection once per character and font family, with whatever face the browser has
 * at that moment; on a PC without CJK fonts the app's Noto Sans SC arrives in slices by Unicode
 * range, and a label laid out before its characters' slice had loaded kept an empty box for good.
 * When the face's loads settle, every label with Chinese text gets a family list with one more
 * name that matches no face: the same faces draw it, but under a family Cesium has not drawn yet,
 * so its glyphs are drawn again.
 */
import { LabelCollection, PrimitiveCollection, type Scene } from 'cesium';

const CJK = /[\u3400-\u9fff]/;
const GENERATION = /\s*"glyphs-\d+",/;
/** Loads come in bursts (one per slice on screen): redraw once they have settled, ms. */
const SETTLE_MS = 1000;

/** `font` with the generation's extra family before its last (generic) one; none for generation 0. */
export function withGlyphGeneration(font: string, generation: number): string {
  const plain = font.replace(GENERATION, '');
  const last = plain.lastIndexOf(',');
  if (generation === 0 || last < 0) return plain;
  return `${plain.slice(0, last + 1)} "glyphs-${generation}",${plain.slice(last + 1)}`;
}

/** Watches the document's font loads for the app's Chinese face and redraws Chinese labels after them. */
export function redrawChineseLabelsOnFontLoad(scene: Scene): () => void {
  const fonts = typeof document === 'undefined' ? undefined : document.fonts;
  if (!fonts) return () => {};
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const visit = (p: unknown): void => {
    if (p instanceof LabelCollection) {
      for (let i = 0; i < p.length; i++) {
        const label = p.get(i);
        if (CJK.test(label.text)) label.font = withGlyphGeneration(label.font, generation);
      }
    } else if (p instanceof PrimitiveCollection) {
      for (let i = 0; i < p.length; i++) visit(p.get(i));
    }
  };
  const redraw = () => {
    timer = null;
    if (scene.isDestroyed()) return;
    generation += 1;
    visit(scene.primitives);
    scene.requestRender();
  };
  const onDone = (e: Event) => {
    const faces = (e as FontFaceSetLoadEvent).fontfaces ?? [];
    if (!faces.some((f) => f.family.includes('Noto Sans SC'))) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(redraw, SETTLE_MS);
  };
  fonts.addEventListener('loadingdone', onDone);
  return () => {
    fonts.removeEventListener('loadingdone', onDone);
    if (timer) clearTimeout(timer);
  };
}
