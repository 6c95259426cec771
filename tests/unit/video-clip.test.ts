import { describe, expect, it } from 'vitest';
import { clipPosition, instantAt, isSameOrigin, noSignalWhy, recordedSpan, type TimelineFragment } from '../../src/ui/video/clip';

const T0 = Date.parse('2026-12-06T09:00:00Z');
/** A live window of five 2-s segments starting at T0, the first at media time 100 s (hls.js keeps a running timeline). */
const window: TimelineFragment[] = [0, 1, 2, 3, 4].map((i) => ({ start: 100 + 2 * i, duration: 2, programDateTime: T0 + 2000 * i }));

describe('instantAt: which instant the picture shows', () => {
  it.each([
    ['the first frame of the window', 100, T0],
    ['inside a segment', 104.5, T0 + 4500],
    ['a segment boundary belongs to the later segment', 102, T0 + 2000],
  ])('%s', (_, pos, at) => {
    expect(instantAt(window, pos)).toBeCloseTo(at, 3);
  });

  it('is where clipPosition put the picture', () => {
    for (const at of [T0, T0 + 1234, T0 + 9000]) expect(instantAt(window, clipPosition(window, at)!)).toBeCloseTo(at, 3);
  });

  it.each([
    ['before the window', 99.9],
    ['past the live edge', 110],
  ])('none %s', (_, pos) => {
    expect(instantAt(window, pos)).toBeNull();
  });

  it('none without program date-time', () => {
    expect(instantAt(window.map((f) => ({ ...f, programDateTime: null })), 101)).toBeNull();
  });
});

describe('clipPosition: where the stream shows a past instant', () => {
  it.each([
    ['the first frame of the window', T0, 100],
    ['inside a segment', T0 + 4500, 104.5],
    ['a segment boundary belongs to the later segment', T0 + 2000, 102],
    ['the last millisecond of the window', T0 + 9999, 109.999],
  ])('%s', (_, at, pos) => {
    expect(clipPosition(window, at)).toBeCloseTo(pos, 6);
  });

  it.each([
    ['before the window (deleted already)', T0 - 1],
    ['at the end of the window (not recorded yet)', T0 + 10_000],
    ['an hour ago', T0 - 3_600_000],
  ])('none %s: the camera is live only', (_, at) => {
    expect(clipPosition(window, at)).toBeNull();
  });

  it('none in a stream without program date-time', () => {
    expect(clipPosition(window.map((f) => ({ ...f, programDateTime: null })), T0 + 1000)).toBeNull();
    expect(clipPosition([], T0)).toBeNull();
  });

  it('recordedSpan gives the instants the window covers', () => {
    expect(recordedSpan(window)).toEqual({ fromMs: T0, toMs: T0 + 10_000 });
    expect(recordedSpan([])).toBeNull();
  });
});

describe('isSameOrigin: the login token goes to the twin only', () => {
  const origin = 'http://twin.local:8080';
  it.each([
    ['/api/video/cam/index.m3u8', true],
    ['seg123.ts', true],
    ['http://twin.local:8080/api/video/cam/seg1.ts', true],
    ['http://twin.local:8081/x.m3u8', false],
    ['https://twin.local:8080/x.m3u8', false],
    ['//nvr.example/cam7/index.m3u8', false],
    ['http://nvr.example/cam7/index.m3u8', false],
  ])('%s → %s', (url, same) => {
    expect(isSameOrigin(url, origin)).toBe(same);
  });
});

describe('noSignalWhy', () => {
  it.each([
    [503, 'no_encoder', 'no_encoder'],
    [503, 'disabled', 'disabled'],
    [503, 'encoder_failed', 'encoder_failed'],
    [503, 'stalled', 'stalled'],
    [401, 'no_encoder', 'denied'],
    [403, undefined, 'denied'],
    [undefined, undefined, 'unreachable'],
    [502, 'something new', 'unreachable'],
  ])('HTTP %s with reason %s → %s', (status, reason, why) => {
    expect(noSignalWhy(status, reason)).toBe(why);
  });
});
