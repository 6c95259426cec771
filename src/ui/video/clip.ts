/**
 * What the player decides without a browser: whether a URL may carry the login token, where in an
 * HLS timeline a past instant lies (program date-time), and what a failed stream means.
 */
import type { NoSignalReason } from '../../contracts';

/** Whether `url` (absolute or relative to `origin`) is on the twin's own origin: only there does the token go. */
export function isSameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url, origin).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/** A segment of an HLS timeline as hls.js knows it. */
export interface TimelineFragment {
  /** Start on the media timeline, s. */
  start: number;
  duration: number;
  /** Wall-clock start from `#EXT-X-PROGRAM-DATE-TIME`, epoch ms; null when the stream has none. */
  programDateTime: number | null;
}

/**
 * The media time, s, at which the stream shows the instant `atMs`, or null when no fragment holds
 * it (before the window, after the live edge, or no program date-time): then the camera is "live
 * only" for that instant.
 */
export function clipPosition(fragments: readonly TimelineFragment[], atMs: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    const endMs = f.programDateTime + f.duration * 1000;
    if (atMs >= f.programDateTime && atMs < endMs) return f.start + (atMs - f.programDateTime) / 1000;
  }
  return null;
}

/**
 * The instant, epoch ms, that the picture at media time `positionS` shows (the inverse of
 * `clipPosition`), or null when no dated fragment holds that position.
 */
export function instantAt(fragments: readonly TimelineFragment[], positionS: number): number | null {
  for (const f of fragments) {
    if (f.programDateTime === null) continue;
    if (positionS >= f.start && positionS < f.start + f.duration) return f.programDateTime + (positionS - f.start) * 1000;
  }
  return null;
}

/** The earliest and latest instants a timeline can show, epoch ms; null without program date-time. */
export function recordedSpan(fragments: readonly TimelineFragment[]): { fromMs: number; toMs: number } | null {
  const dated = fragments.filter((f) => f.programDateTime !== null);
  if (dated.length === 0) return null;
  const last = dated[dated.length - 1];
  return { fromMs: dated[0].programDateTime!, toMs: last.programDateTime! + last.duration * 1000 };
}

/** Why a stream shows nothing, from the service's answer when it gave one; `unreachable` otherwise. */
export type NoSignalWhy = NoSignalReason | 'unreachable' | 'denied';

export function noSignalWhy(httpStatus: number | undefined, serviceReason: unknown): NoSignalWhy {
  if (httpStatus === 401 || httpStatus === 403) return 'denied';
  const known: readonly string[] = ['disabled', 'no_encoder', 'encoder_failed', 'stalled'];
  return typeof serviceReason === 'string' && known.includes(serviceReason) ? (serviceReason as NoSignalReason) : 'unreachable';
}
