/** The status bar's incremental link counts give the figures a full walk gives, as readings and the clock move. */
import { describe, expect, it } from 'vitest';
import type { Device, DeviceLive } from '../../src/contracts';
import { LinkTally, linkCounts } from '../../src/view';

const NOW = 1_764_300_000_000;
const device = (id: string, intervalS: number, quantities: Device['quantities'] = ['h2s_ppm']): Device => ({
  id,
  scene: 'confined',
  siteId: 's',
  kind: 'gas_detector',
  name: id,
  nameZh: id,
  position: [120.7, 30.2, -3],
  quantities,
  intervalS,
  level: 'lower',
});

/** A small deterministic generator (mulberry32), so a failure replays the same way. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('LinkTally', () => {
  it('turns a silent device stale when its deadline passes, and online again when it reports', () => {
    const devices = new Map([['a', device('a', 5)], ['b', device('b', 5)], ['cam', device('cam', 5, [])], ['n', device('n', 5)]]);
    const live = new Map<string, DeviceLive>([
      ['a', { ts: NOW, values: { h2s_ppm: 1 }, status: 'online' }],
      ['b', { ts: null, values: {}, status: 'offline' }],
      ['cam', { ts: null, values: {}, status: 'online' }],
    ]);
    const tally = new LinkTally();
    expect(tally.count(devices, live, NOW)).toEqual({ online: 2, stale: 0, offline: 1, nodata: 1 });
    // 3 intervals of silence is still online; one millisecond more is stale.
    expect(tally.count(devices, live, NOW + 15_000).online).toBe(2);
    expect(tally.count(devices, live, NOW + 15_001)).toEqual({ online: 1, stale: 1, offline: 1, nodata: 1 });
    live.set('a', { ts: NOW + 20_000, values: { h2s_ppm: 1 }, status: 'online' });
    live.set('n', { ts: NOW + 20_000, values: { h2s_ppm: 1 }, status: 'stale' });
    tally.touch(['a', 'n', 'not-in-registry']);
    expect(tally.count(devices, live, NOW + 20_000)).toEqual({ online: 2, stale: 1, offline: 1, nodata: 0 });
  });

  it('matches the full walk at every tick of random readings, statuses, clock jumps back and a new registry', () => {
    const next = rng(16);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    let devices = new Map(Array.from({ length: 200 }, (_, i) => [`d${i}`, device(`d${i}`, pick([1, 5, 30]), i % 17 ? ['h2s_ppm'] : [])]));
    const live = new Map<string, DeviceLive>();
    const tally = new LinkTally();
    let now = NOW;
    for (let tick = 0; tick < 400; tick++) {
      const changed: string[] = [];
      for (let k = Math.floor(next() * 12); k > 0; k--) {
        const id = `d${Math.floor(next() * 220)}`; // some ids are not in the registry
        const r = next();
        if (r < 0.1) live.delete(id);
        else live.set(id, { ts: r < 0.2 ? null : now - Math.floor(next() * 20_000), values: {}, status: pick(['online', 'online', 'stale', 'offline']) });
        changed.push(id);
      }
      tally.touch(changed);
      now += next() < 0.05 ? -60_000 : Math.floor(next() * 3000);
      if (tick === 200) devices = new Map([...devices].slice(50));
      expect(tally.count(devices, live, now), `tick ${tick}`).toEqual(linkCounts(devices, live, now));
    }
  });

  it('recounts once when more ids were touched than there are devices since the last count (nobody counted for a while)', () => {
    const devices = new Map(Array.from({ length: 10 }, (_, i) => [`d${i}`, device(`d${i}`, 5)]));
    const live = new Map<string, DeviceLive>();
    const tally = new LinkTally();
    expect(tally.count(devices, live, NOW)).toEqual({ online: 0, stale: 0, offline: 0, nodata: 10 });
    for (let k = 0; k < 30; k++) {
      const id = `d${k % 10}`;
      live.set(id, { ts: NOW + k, values: { h2s_ppm: 1 }, status: k % 3 ? 'online' : 'offline' });
      tally.touch([id]);
    }
    expect(tally.count(devices, live, NOW + 100)).toEqual(linkCounts(devices, live, NOW + 100));
    live.set('d0', { ts: NOW + 200, values: { h2s_ppm: 1 }, status: 'stale' });
    tally.touch(['d0']);
    expect(tally.count(devices, live, NOW + 200)).toEqual(linkCounts(devices, live, NOW + 200));
  });
});
