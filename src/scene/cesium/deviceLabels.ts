/**
 * Device name labels, decluttered in screen space: devices whose points overlap share one label
 * (the common start of their names), and a label that would cover one already placed is left out.
 * The selected device is always labelled first; then the candidates in the caller's order.
 */
import {
  Cartesian2,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  VerticalOrigin,
  type Cartesian3,
  type Label,
  type Scene,
} from 'cesium';
import { LABEL_FAMILIES, PALETTE } from './colors';
import { LABEL_SHADER, createLabelCollection } from './labelShader';

export interface LabelCandidate {
  id: string;
  position: Cartesian3;
  text: string;
  /** A stack member's label only makes sense next to its head's ("middle" under "X · upper"). */
  headId?: string;
}

export interface DeviceLabels {
  /** Relabels: `selected` always, then as many `candidates` (most important first) as fit. */
  update(candidates: LabelCandidate[], selected: LabelCandidate | null): void;
  /** Moves a device's label (moving devices). */
  move(id: string, position: Cartesian3): void;
  destroy(): void;
}

const FONT = `500 12px ${LABEL_FAMILIES}`;
/** Points closer than this on screen share a label, px (points are about 9 px wide). */
const CLUSTER_PX = 14;
/** Gap between a point and its label, and the label box's padding, px. */
const OFFSET_PX = 12;
const PAD = new Cartesian2(5, 3);
const BOX_H_PX = 20;
const MAX_LABELS = 40;

/** The shared start of several names, cut back to a whole word and trailing separators. */
export function commonPrefix(names: string[]): string {
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  if (names.some((n) => n.length > p.length && /\w/.test(n[p.length] ?? '') && /\w$/.test(p))) p = p.replace(/\S+$/, '');
  return p.replace(/[\s,，、(（:-]+$/, '');
}

/** One label for several overlapping devices ("X gas detector, upper/lower" → "X gas detector ×2"). */
export function commonName(names: string[]): string {
  const p = commonPrefix(names);
  return p.length >= 2 ? `${p} ×${names.length}` : `${names[0]} +${names.length - 1}`;
}

/**
 * Labels for a stack of devices at one spot (a space's three gas levels): the top one says the
 * shared name and its own part ("X gas detector · upper"), the others only their own part.
 */
export function stackLabels(names: string[]): string[] {
  const p = commonPrefix(names);
  if (names.length < 2 || p.length < 2) return names;
  return names.map((n, i) => {
    const own = n.slice(p.length).replace(/^[\s,，、:-]+/, '').replace(/[)）]$/, '') || n;
    return i === 0 ? `${p} · ${own}` : own;
  });
}

type Box = [number, number, number, number];
const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

export function createDeviceLabels(scene: Scene): DeviceLabels {
  const labels = scene.primitives.add(createLabelCollection(scene)) as LabelCollection;
  const shown = new Map<string, Label>();
  const measure = document.createElement('canvas').getContext('2d');
  if (measure) measure.font = FONT;
  const textWidth = (t: string) => (measure ? measure.measureText(t).width : t.length * 7);

  const put = (key: string, position: Cartesian3, text: string) => {
    const l = shown.get(key);
    if (l) {
      l.position = position;
      l.text = text;
      return;
    }
    shown.set(
      key,
      labels.add({
        ...LABEL_SHADER,
        position,
        text,
        font: FONT,
        fillColor: PALETTE.deviceLabel,
        showBackground: true,
        backgroundColor: PALETTE.labelBackground,
        backgroundPadding: PAD,
        style: LabelStyle.FILL,
        horizontalOrigin: HorizontalOrigin.LEFT,
        verticalOrigin: VerticalOrigin.CENTER,
        pixelOffset: new Cartesian2(OFFSET_PX, 0),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      }),
    );
  };

  return {
    update(candidates, selected) {
      const w = scene.canvas.clientWidth;
      const h = scene.canvas.clientHeight;
      const onScreen = (c: LabelCandidate) => {
        const p = scene.cartesianToCanvasCoordinates(c.position, new Cartesian2());
        return p && p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h ? p : null;
      };
      // Overlapping points form one cluster, led by the first (most important) of them.
      const clusters: { lead: LabelCandidate; at: Cartesian2; names: string[] }[] = [];
      for (const c of candidates) {
        if (c.id === selected?.id) continue;
        const at = onScreen(c);
        if (!at) continue;
        const k = clusters.find((q) => Cartesian2.distance(q.at, at) < CLUSTER_PX);
        if (k) k.names.push(c.text);
        else clusters.push({ lead: c, at, names: [c.text] });
      }
      const placed: Box[] = [];
      const want = new Map<string, { position: Cartesian3; text: string }>();
      const tryPlace = (key: string, c: LabelCandidate, at: Cartesian2, text: string, force: boolean) => {
        const x0 = at.x + OFFSET_PX - PAD.x;
        const box: Box = [x0, at.y - BOX_H_PX / 2, x0 + textWidth(text) + 2 * PAD.x, at.y + BOX_H_PX / 2];
        if (!force && placed.some((b) => overlaps(b, box))) return;
        placed.push(box);
        want.set(key, { position: c.position, text });
      };
      const selAt = selected ? onScreen(selected) : null;
      if (selected) tryPlace(selected.id, selected, selAt ?? new Cartesian2(-1e4, -1e4), selected.text, true);
      // Heads and single devices first; a stack member only where its head got a label.
      const ordered = [...clusters.filter((k) => !k.lead.headId), ...clusters.filter((k) => k.lead.headId)];
      for (const k of ordered) {
        if (want.size >= MAX_LABELS) break;
        const many = k.names.length > 1;
        const head = k.lead.headId;
        if (!many && head && !want.has(head) && head !== selected?.id) continue;
        tryPlace(many ? `group:${k.lead.id}` : k.lead.id, k.lead, k.at, many ? commonName(k.names) : k.names[0], false);
      }
      for (const [key, l] of shown) if (!want.has(key)) (labels.remove(l), shown.delete(key));
      for (const [key, v] of want) put(key, v.position, v.text);
      scene.requestRender();
    },
    move(id, position) {
      const l = shown.get(id);
      if (l) l.position = position;
    },
    destroy() {
      scene.primitives.remove(labels);
    },
  };
}
