/**
 * The far-zoom marks of a city-scale registry (src/view/clusters.ts): zoomed out beyond FAR_M over
 * more than AGGREGATE_ABOVE devices, the device points give way to one mark per plant, enterprise
 * or grid cell, coloured by its worst state and sized by how many devices it holds; a mark with
 * critical or major devices says how many of how many. Close in, the points come back. The demo's registry never aggregates.
 *
 * Counts move one device at a time (`move`) and marks are restyled once per batch (`flush`), so a
 * live frame costs the devices that changed state, not the city.
 */
import {
  BlendOption,
  Cartesian2,
  Cartesian3,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  PointPrimitiveCollection,
  VerticalOrigin,
  type Label,
  type PointPrimitive,
  type Scene,
} from 'cesium';
import { ClusterCounts, type Health } from '../../view';
import { LABEL_FAMILIES, PALETTE, healthColor } from './colors';
import { LABEL_SHADER, createLabelCollection } from './labelShader';

/** More devices than this and far zoom shows marks instead of points (the demo has ~150). */
export const AGGREGATE_ABOVE = 2_000;
/** Camera height above which marks replace points, m: a district or more in a 1280 px window. */
export const FAR_M = 40_000;
const FONT = `600 13px ${LABEL_FAMILIES}`;
/** States a mark counts aloud: a storm of minor alarms (e.g. stale sensors) must not bury the map in numbers. */
const COUNTED: readonly Health[] = ['critical', 'major'];

export interface ClusterLayer {
  /** Counts a device of cluster `key` as leaving state `from` (null: new) for `to`. */
  move(key: string, from: Health | null, to: Health): void;
  /** Restyles the marks whose counts moved since the last flush. */
  flush(): void;
  /** Marks instead of points when the camera is far; returns whether marks are shown. */
  update(): boolean;
  destroy(): void;
}

export function createClusterLayer(scene: Scene, members: ReadonlyMap<string, Cartesian3[]>): ClusterLayer {
  const points = scene.primitives.add(new PointPrimitiveCollection({ blendOption: BlendOption.OPAQUE })) as PointPrimitiveCollection;
  const labels = scene.primitives.add(createLabelCollection()) as LabelCollection;
  points.show = labels.show = false;
  const counts = new ClusterCounts();
  // A mark's count label is made the first time it has something to say (a few dozen of some
  // 2,800 marks at 25,000 devices): the empty ones were ~30 ms of the registry's task, and a label
  // collection's every update walks all of its labels.
  const marks = new Map<string, { point: PointPrimitive; label: Label | null; at: Cartesian3 }>();
  for (const [key, positions] of members) {
    // A cluster's mark sits at the middle of its devices.
    const at = Cartesian3.multiplyByScalar(positions.reduce((a, p) => Cartesian3.add(a, p, a), new Cartesian3()), 1 / positions.length, new Cartesian3());
    const point = points.add({ position: at, pixelSize: 8, outlineColor: PALETTE.deviceOutline, outlineWidth: 1.5, disableDepthTestDistance: 1e6 });
    marks.set(key, { point, label: null, at });
  }
  const labelAt = (at: Cartesian3, text: string): Label =>
    labels.add({
      ...LABEL_SHADER,
      position: at, text, font: FONT, fillColor: PALETTE.deviceLabel, style: LabelStyle.FILL,
      showBackground: true, backgroundColor: PALETTE.labelBackground, backgroundPadding: new Cartesian2(4, 2),
      horizontalOrigin: HorizontalOrigin.LEFT, verticalOrigin: VerticalOrigin.CENTER, pixelOffset: new Cartesian2(10, 0), disableDepthTestDistance: 1e6,
    });
  const dirty = new Set<string>();
  let far = false;

  return {
    move(key, from, to) {
      counts.move(key, from, to);
      dirty.add(key);
    },
    flush() {
      for (const key of dirty) {
        const m = marks.get(key);
        if (!m) continue;
        const s = counts.summary(key);
        if (!s.worst) continue;
        m.point.color = healthColor(s.worst);
        // Bigger for more devices, within a few pixels: a mark is a place, not a histogram.
        m.point.pixelSize = 7 + Math.min(9, 1.5 * Math.log2(1 + s.total));
        const alarms = COUNTED.reduce((n, h) => n + s.counts[h], 0);
        if (alarms > 0 && !m.label) m.label = labelAt(m.at, `${alarms} / ${s.total}`);
        else if (m.label) {
          m.label.show = alarms > 0;
          if (alarms > 0) m.label.text = `${alarms} / ${s.total}`;
        }
      }
      if (dirty.size > 0 && far) scene.requestRender();
      dirty.clear();
    },
    update() {
      const next = scene.camera.positionCartographic.height > FAR_M;
      if (next !== far) {
        far = next;
        points.show = labels.show = far;
        scene.requestRender();
      }
      return far;
    },
    destroy() {
      scene.primitives.remove(points);
      scene.primitives.remove(labels);
    },
  };
}
