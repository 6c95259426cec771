/**
 * Video: cameras in the registry, the `video.detection` event of an outside video-AI box, and the
 * service's answers about a camera's stream. Additions within v1: a camera is a device of kind
 * `camera` with its view, and alarm records may carry `cameraIds`.
 */
import { z } from 'zod';
import type { Device } from './registry';

/**
 * Where a camera's picture comes from: an HLS playlist or a WebRTC WHEP endpoint of a media server
 * (MediaMTX, ZLMediaKit, an NVR gateway). A URL, or a path on the twin's own origin.
 */
export type CameraStream = { hls: string } | { whep: string };

/**
 * A device of kind `camera`. Angles follow Cesium's heading–pitch convention: `headingDeg`
 * clockwise from north, `pitchDeg` above the horizontal (negative looks down).
 */
export interface CameraDevice extends Device {
  kind: 'camera';
  /** Direction the view is centred on, degrees clockwise from north, [0, 360). */
  headingDeg: number;
  /** Tilt of the view's centre, degrees above the horizontal, [-90, 90]. */
  pitchDeg: number;
  /** Horizontal field of view, degrees, (0, 360]. */
  fovDeg: number;
  /** Farthest distance at which the picture still shows what the camera is for, m. */
  rangeM: number;
  stream: CameraStream;
}

/** A URL the browser may load: http(s), or a path on the twin's own origin (never `javascript:`, `data:`, `//host`). */
const streamUrl = z
  .string()
  .max(2048)
  .refine((u) => /^https?:\/\/[^\s]+$/i.test(u) || /^\/(?!\/)[^\s]*$/.test(u), 'must be an http(s) URL or a path starting with /');

export const cameraStreamSchema = z.union([z.strictObject({ hls: streamUrl }), z.strictObject({ whep: streamUrl })]);

/** The camera fields of a registry device (the device fields are checked by the registry loader). */
export const cameraFieldsSchema = z.object({
  kind: z.literal('camera'),
  headingDeg: z.number().finite().min(0).lt(360),
  pitchDeg: z.number().finite().min(-90).max(90),
  fovDeg: z.number().finite().gt(0).max(360),
  rangeM: z.number().finite().positive().max(100_000),
  stream: cameraStreamSchema,
});

export function isCamera(device: Pick<Device, 'kind'>): device is CameraDevice {
  return device.kind === 'camera';
}

/** A camera whose view and stream are all there and valid (one from an older or odd service may lack them). */
export function isValidCamera(device: Device): device is CameraDevice {
  return isCamera(device) && cameraProblem(device) === null;
}

/** Checks a registry device that says it is a camera; the first problem as `field: message`, or null when valid. */
export function cameraProblem(device: unknown): string | null {
  const r = cameraFieldsSchema.safeParse(device);
  if (r.success) return null;
  const i = r.error.issues[0];
  return `${i?.path.join('.') || 'camera'}: ${i?.message ?? 'invalid'}`;
}

/**
 * Path of a stream the twin service itself serves (the demo's test streams, behind the login):
 * a camera whose `stream.hls` is exactly this path is fed by the service.
 */
export function servicePlaylistPath(cameraId: string): string {
  return `/api/video/${cameraId}/index.m3u8`;
}

/** Kinds a video-AI box reports that the rules know; others still raise `video_{kind}` (see domain/videoRules). */
export const VIDEO_DETECTION_KINDS = ['fire', 'smoke', 'intrusion', 'no_helmet', 'attendant_absent', 'vehicle_stopped'] as const;
export type KnownDetectionKind = (typeof VIDEO_DETECTION_KINDS)[number];

/**
 * Payload of event `video.detection` (besides `ts` and `type`). `kind` becomes part of a rule name
 * (`video_{kind}`), so it is a short lower-case identifier; `confidence` is the box's score, 0–1.
 */
export const videoDetectionSchema = z.object({
  cameraId: z.string().min(1).max(128),
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'kind must be a lower-case identifier such as fire or no_helmet'),
  confidence: z.number().finite().min(0).max(1),
  snapshotUrl: streamUrl.optional(),
});

export type VideoDetection = z.infer<typeof videoDetectionSchema>;

/** Rule name of a detection: `video_{kind}`. */
export function videoRuleName(kind: string): string {
  return `video_${kind}`;
}

/**
 * What the service knows of a camera's stream (GET /api/video[/{cameraId}]):
 * - `live`: the service's own stream is being written;
 * - `starting`: its encoder runs but has not written a playlist yet;
 * - `no_signal`: nothing to show, `reason` says why;
 * - `external`: a media server's stream the service does not watch (the player finds out).
 */
export type VideoState = 'live' | 'starting' | 'no_signal' | 'external';
/** Why there is no signal: demo streams turned off (VIDEO=0), no ffmpeg on the machine, the encoder failed or stalled. */
export type NoSignalReason = 'disabled' | 'no_encoder' | 'encoder_failed' | 'stalled';

export interface VideoStatus {
  cameraId: string;
  state: VideoState;
  reason?: NoSignalReason;
  stream: CameraStream;
}
