/**
 * The address as the operator's bookmark: each role starts in its own scene, the address brings
 * back the view, selection and replayed instant, and a hand-edited address selects nothing unknown.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device, Site } from '../../src/contracts';
import { createTwinStore } from '../../src/state/store';
import { replay } from '../../src/state/replay';
import { HOME_VIEW, bindUrlState, formatUrlState, parseUrlState, type AddressBar } from '../../src/state/url';

const site = { id: 'sy-tf1-t1', scene: 'park', kind: 'tank', name: 'T1', nameZh: '储罐', parentId: null, geometry: { type: 'Point', coordinates: [120.8, 30.2] } } as Site;
const device = { id: 'sy-tf1-t1-sensor', scene: 'park', siteId: 'sy-tf1-t1', kind: 'tank_sensor', name: 'T1', nameZh: '储罐', position: [120.8, 30.2, 0], quantities: ['temp_c'], intervalS: 10 } as Device;

function bar(search: string): AddressBar & { value: string } {
  const b = { value: search, search: () => b.value, replace: (s: string) => void (b.value = s) };
  return b;
}
const store = (role: 'inspector' | 'park_manager' | 'traffic' | 'admin' = 'park_manager') => {
  const s = createTwinStore();
  s.getState().setAuth({ token: 't', role, username: role });
  return s;
};

afterEach(() => {
  replay.getState().goLive();
  vi.useRealTimers();
});

describe('address ⇄ state', () => {
  it.each([
    ['?view=park&device=sy-tf1-t1-sensor&site=sy-tf1-t1', { view: 'park', device: 'sy-tf1-t1-sensor', site: 'sy-tf1-t1' }],
    ['?view=overview', { view: 'overview' }],
    ['?view=admin&device=../../etc&site=%3Cscript%3E', {}],
    ['?at=2025-11-26T02:00:00.000Z', { at: Date.parse('2025-11-26T02:00:00Z') }],
    ['?at=yesterday', {}],
    ['', {}],
  ])('reads %s', (search, want) => {
    expect(parseUrlState(search)).toEqual(want);
  });

  it('writes what it reads, keeping other parameters', () => {
    const s = { view: 'roads' as const, site: 'zj-g60-s06', at: Date.parse('2025-11-26T02:00:00Z') };
    const q = formatUrlState(s, '?lang=en&view=park');
    expect(q).toContain('lang=en');
    expect(parseUrlState(q)).toEqual(s);
    expect(formatUrlState({}, '?view=park&device=x')).toBe('');
  });
});

describe('bindUrlState', () => {
  it.each(Object.entries(HOME_VIEW))('without a view in the address, %s starts in %s', (role, view) => {
    const s = store(role as keyof typeof HOME_VIEW);
    const stop = bindUrlState(s, role as keyof typeof HOME_VIEW, bar(''));
    expect(s.getState().view).toBe(view);
    stop();
  });

  it('restores the view at once and the selection once the registry is loaded; unknown ids select nothing', () => {
    const s = store('traffic');
    const stop = bindUrlState(s, 'traffic', bar('?view=park&device=sy-tf1-t1-sensor'));
    expect(s.getState().view).toBe('park');
    expect(s.getState().selectedDeviceId).toBeNull();
    s.getState().loadRegistry({ devices: [device], sites: [site] });
    expect(s.getState().selectedDeviceId).toBe('sy-tf1-t1-sensor');
    expect(s.getState().selectedSiteId).toBe('sy-tf1-t1'); // the device's site
    stop();

    const other = store();
    const stop2 = bindUrlState(other, 'park_manager', bar('?view=park&device=no-such&site=nor-this'));
    other.getState().loadRegistry({ devices: [device], sites: [site] });
    expect(other.getState().selectedDeviceId).toBeNull();
    expect(other.getState().selectedSiteId).toBeNull();
    stop2();
  });

  it('keeps the address in step with the view, the selection and replay, and empties it at logout', () => {
    vi.useFakeTimers();
    const s = store();
    s.getState().loadRegistry({ devices: [device], sites: [site] });
    const b = bar('?lang=en');
    const stop = bindUrlState(s, 'park_manager', b);
    s.getState().select({ deviceId: 'sy-tf1-t1-sensor', siteId: 'sy-tf1-t1' });
    vi.advanceTimersByTime(1000);
    expect(parseUrlState(b.value)).toEqual({ view: 'park', device: 'sy-tf1-t1-sensor', site: 'sy-tf1-t1' });
    const at = Date.now() - 5 * 60_000;
    replay.getState().enter(at);
    vi.advanceTimersByTime(1000);
    expect(parseUrlState(b.value).at).toBe(at);
    replay.getState().goLive();
    s.getState().setView('roads');
    s.getState().select({ deviceId: null, siteId: null });
    vi.advanceTimersByTime(1000);
    expect(parseUrlState(b.value)).toEqual({ view: 'roads' });
    s.getState().logout();
    expect(b.value).toBe('?lang=en');
    stop();
  });

  it('enters replay at the instant in the address', () => {
    const at = Date.now() - 20 * 60_000;
    const s = store();
    const stop = bindUrlState(s, 'park_manager', bar(`?view=park&at=${new Date(at).toISOString()}`));
    expect(replay.getState().mode).toBe('replay');
    expect(replay.getState().at).toBe(at);
    stop();
  });
});
