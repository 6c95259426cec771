/**
 * Chinese labels drawn once, with their face. Cesium draws each glyph of a label collection once
 * per character and font family, with whatever face the browser has at that moment; on a PC
 * without a Chinese face of its own the app's Noto Sans SC arrives in slices by Unicode range, and
 * a glyph drawn before its slice had loaded is an empty box for good. So a label whose text has
 * Chinese is held out of its collection's update (no glyphs, nothing drawn) until
 * `document.fonts.check` says the faces for its text are in; its slices are asked for at once
 * and the scene renders again when they land. A label with only Latin text and digits is drawn at
 * once, as is every label on a PC whose Chinese face is the system's (Microsoft YaHei, a system
 * Noto Sans SC): nothing waits there. A held label keeps its text, position and show; only its
 * glyphs wait. Before, every Chinese label was drawn with boxes first and drawn again once the
 * loads settled (0.3–0.8 s of main thread, sometimes twice, before the first live frame).
 *
 * This leans on two of Cesium's private fields (`LabelCollection._labelsToUpdate`,
 * `Label._rebindAllGlyphs`); tests/unit/labelGlyphs.test.ts fails if they go.
 */
import { LabelCollection, type Scene } from 'cesium';

const CJK = /[\u3400-\u9fff]/;
/** The families ahead of the app's own face in `LABEL_FAMILIES` (colors.ts) that a PC may have. */
const SYSTEM_FACES = ['Noto Sans SC', 'Microsoft YaHei'];

/** What the gate needs of a label: Cesium's own fields, read and written as its update does. */
export interface GatedLabel {
  readonly font: string;
  readonly text: string;
  _renderedText?: string;
  _rebindAllGlyphs: boolean;
  isDestroyed(): boolean;
}

/** The document's fonts as far as the gate asks them. */
export interface Faces {
  /** True when the faces that draw `text` in `font` are loaded (or no face of the page's draws it). */
  check(font: string, text: string): boolean;
  load(font: string, text: string): Promise<unknown>;
}

/**
 * Holds a collection's labels whose glyphs would be drawn before their face is in. `update`
 * takes the collection's to-do list (labels to lay out this frame) and the labels it held,
 * returns the list with the held-back ones out and the ready ones back in.
 */
export class FaceGate {
  /** Keys (font + text) whose load has settled: drawn then whatever `check` says (a failed slice). */
  private readonly settled = new Set<string>();
  private readonly asked = new Set<string>();
  /** Labels made or re-texted while their face was out, per collection. */
  readonly held = new WeakMap<object, Set<GatedLabel>>();

  constructor(
    private readonly faces: Faces,
    /** Whether a system face draws Chinese: then nothing is held. */
    private readonly systemFace: () => boolean,
    private readonly onLoaded: () => void,
  ) {}

  private ready(label: GatedLabel): boolean {
    const text = label._renderedText ?? label.text;
    if (!CJK.test(text)) return true;
    if (this.systemFace()) return true;
    const key = `${label.font}\n${text}`;
    if (this.settled.has(key) || this.faces.check(label.font, text)) return true;
    if (!this.asked.has(key)) {
      this.asked.add(key);
      const done = () => {
        this.settled.add(key);
        this.onLoaded();
      };
      this.faces.load(label.font, text).then(done, done);
    }
    return false;
  }

  update(collection: object, toUpdate: GatedLabel[]): void {
    const held = this.held.get(collection);
    if (held) {
      for (const label of held) {
        if (label.isDestroyed()) held.delete(label);
        else if (this.ready(label)) {
          held.delete(label);
          toUpdate.push(label);
        }
      }
    }
    let kept = 0;
    for (const label of toUpdate) {
      if (!label.isDestroyed() && label._rebindAllGlyphs) {
        if (!this.ready(label)) {
          let set = this.held.get(collection);
          if (!set) this.held.set(collection, (set = new Set()));
          set.add(label);
          continue;
        }
      }
      toUpdate[kept++] = label;
    }
    toUpdate.length = kept;
  }
}

/** Whether one of the system faces ahead of the app's draws on this PC (a font-width probe). */
function probeSystemFace(): boolean {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return false;
  const width = (font: string) => {
    ctx.font = font;
    return ctx.measureText('mmmmmmmmmmlli中文').width;
  };
  return SYSTEM_FACES.some((family) => ['monospace', 'serif'].some((generic) => width(`72px "${family}", ${generic}`) !== width(`72px ${generic}`)));
}

const scenes = new Set<Scene>();
let gate: FaceGate | null = null;

/**
 * Holds the globe's Chinese labels until their face is in (see the top of the file); one gate for
 * every label collection of the page. Returns the function that stops asking `scene` to render.
 */
export function drawChineseLabelsWithTheirFace(scene: Scene): () => void {
  const fonts = typeof document === 'undefined' ? undefined : document.fonts;
  if (!fonts) return () => {};
  scenes.add(scene);
  if (!gate) {
    let system: boolean | undefined;
    const g = new FaceGate(
      { check: (font, text) => fonts.check(font, text), load: (font, text) => fonts.load(font, text) },
      () => (system ??= probeSystemFace()),
      () => {
        for (const s of scenes) if (!s.isDestroyed()) s.requestRender();
      },
    );
    gate = g;
    const proto = LabelCollection.prototype as unknown as { update(this: unknown, frameState: unknown): void };
    const update = proto.update;
    proto.update = function gatedUpdate(this: { show: boolean; _labelsToUpdate: GatedLabel[] }, frameState: unknown) {
      if (this.show) g.update(this, this._labelsToUpdate);
      update.call(this, frameState);
    };
  }
  return () => {
    scenes.delete(scene);
  };
}
