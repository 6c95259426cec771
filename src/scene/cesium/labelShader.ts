/**
 * One shader for every label collection. Cesium links a label collection's programs from the
 * features its labels use (a distance display condition, translucency by distance, a depth test
 * distance) and from its blending (a collection with label backgrounds blends as translucent, one
 * without draws an opaque and a translucent pass): each distinct set is a program of its own, and
 * on a cold start in software WebGL the app's collections linked eight of them at 15–300 ms each
 * in the frames after the registry. Every label starts from these no-op values (always shown,
 * always opaque, drawn over the ground) and every collection blends as translucent, so all of
 * them share one glyph program and one background program. What shows is unchanged.
 */
import { BlendOption, DistanceDisplayCondition, LabelCollection, NearFarScalar, PointPrimitiveCollection, type Scene } from 'cesium';

/** Spread first into every label's options; a label's own condition or fade replaces these. */
export const LABEL_SHADER = {
  disableDepthTestDistance: Number.POSITIVE_INFINITY,
  // Always shown: nearer than 0 m or farther than 10^15 m never happens.
  distanceDisplayCondition: new DistanceDisplayCondition(0, 1e15),
  // Fully opaque up to 10^9 m from the camera (no camera is that far); a far value under 1 is what
  // makes Cesium compile the fade in, the same program as the labels that do fade.
  translucencyByDistance: new NearFarScalar(1e9, 1, 2e9, 0.5),
} as const;

/** A label collection that blends as translucent, as one with label backgrounds always does. */
export function createLabelCollection(scene?: Scene): LabelCollection {
  return new LabelCollection({ scene, blendOption: BlendOption.TRANSLUCENT });
}

/**
 * A point collection for markers (incidents, spaces, a route's ends, drawn and measured vertices):
 * blending as translucent, it draws with the same program as the device layer's opaque points (the
 * same shader, a blending of its own), where the default opaque-and-translucent passes linked two
 * more programs on a cold start.
 */
export function createMarkerPoints(): PointPrimitiveCollection {
  return new PointPrimitiveCollection({ blendOption: BlendOption.TRANSLUCENT });
}
