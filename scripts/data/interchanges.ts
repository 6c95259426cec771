/**
 * The Zhuji scene's interchanges on the base map: one named point per interchange and a ramp in
 * each angle between two of its road arms (a quadratic curve from 700 m along one arm to 700 m
 * along the next, cutting the corner as a slip road does). Drawn as thin roads and labelled when
 * the camera is close, so a view zoomed to an incident shows where traffic can leave and join.
 */
import { bearingDeg, distanceM, lerp, type LonLat } from './geo';
import { NODE, ZHUJI_ROADS } from './roads';
import { feature, round, type Feature } from './util';

/** [node, English, Chinese]: where expressways meet each other or the city's roads. */
const INTERCHANGES: [string, string, string][] = [
  ['zj-nd-hub', 'Zhuji Hub (G60 × Zhuji–Yongjia)', '诸暨枢纽'],
  ['zj-nd-g60-zhuji', 'Zhuji interchange', '诸暨互通'],
  ['zj-nd-zy-east', 'Zhuji East interchange', '诸暨东互通'],
  ['zj-nd-zy-a', 'Zhuji North interchange', '诸暨北互通'],
];

/** How far along each arm a ramp leaves or joins it, m. */
const RAMP_ARM_M = 700;
const RAMP_POINTS = 12;

/** The directions leaving a node along every road through it: a point RAMP_ARM_M along each. */
function arms(node: string): LonLat[] {
  const at = NODE[node];
  const out: LonLat[] = [];
  for (const r of ZHUJI_ROADS) {
    const i = r.nodes.indexOf(node);
    if (i < 0) continue;
    for (const j of [i - 1, i + 1]) {
      if (j < 0 || j >= r.nodes.length) continue;
      const next = NODE[r.nodes[j]];
      out.push(lerp(at, next, RAMP_ARM_M / distanceM(at, next)));
    }
  }
  return out.sort((a, b) => bearingDeg(at, a) - bearingDeg(at, b));
}

/** A quadratic Bézier from `a` to `b` with its control point at the node. */
function curve(a: LonLat, node: LonLat, b: LonLat): LonLat[] {
  return Array.from({ length: RAMP_POINTS + 1 }, (_, k) => {
    const t = k / RAMP_POINTS;
    const u = 1 - t;
    return [round(u * u * a[0] + 2 * u * t * node[0] + t * t * b[0], 6), round(u * u * a[1] + 2 * u * t * node[1] + t * t * b[1], 6)] as LonLat;
  });
}

/** Ramps (LineStrings, kind `ramp`) and interchange points (kind `interchange`), named in both languages. */
export function interchangeFeatures(): Feature[] {
  const out: Feature[] = [];
  for (const [node, name, nameZh] of INTERCHANGES) {
    const at = NODE[node];
    const a = arms(node);
    // Adjacent arms only (in bearing order, round the node): an arm and its own road's other half are left out.
    a.forEach((p, k) => {
      const q = a[(k + 1) % a.length];
      let turn = bearingDeg(at, q) - bearingDeg(at, p);
      if (turn < 0) turn += 360;
      if (turn > 150) return; // nearly straight on: the same road, not a ramp
      out.push(feature({ kind: 'ramp', id: `${node}-ramp-${k + 1}`, name: `${name} ramp`, nameZh: `${nameZh}匝道`, widthM: 8 }, { type: 'LineString', coordinates: curve(p, at, q) }));
    });
    out.push(feature({ kind: 'interchange', id: `${node}-ic`, name, nameZh }, { type: 'Point', coordinates: at }));
  }
  return out;
}
