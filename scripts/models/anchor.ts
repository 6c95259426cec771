/**
 * Where a model sits on the globe: its origin (anchor) and the local frame around it. The anchor of
 * a site is the centre of its outline's bounding box (a Point's own position); model coordinates are
 * metres east / north / up of it (local equirectangular: < 0.1 % error over a plant's few hundred m).
 */
import type { Geometry, Site } from '../../src/contracts';
import { anchorOfGeometry } from '../../src/domain/modelFootprint';
import { toXY, type LonLat, type XY } from '../data/geo';

/** [lonDeg, latDeg] of a site's anchor (shared with the service, which places uploaded models there first). */
export function anchorOf(geometry: Geometry): LonLat {
  return anchorOfGeometry(geometry);
}

/** The outer ring of a polygon site in local metres [east, north] of `anchor`. */
export function localRing(anchor: LonLat, geometry: Geometry): XY[] {
  if (geometry.type !== 'Polygon') throw new Error(`expected a Polygon, got ${geometry.type}`);
  return geometry.coordinates[0].map((p) => toXY(anchor, p));
}

/** A site's anchor, for manifest entries of models built around it. */
export function siteAnchor(site: Site): LonLat {
  return anchorOf(site.geometry);
}
