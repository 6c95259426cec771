import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../src/contracts';
import { criticalToPopUp, loadPrefs, prefsKey, type Watching } from '../../src/state/video';

const alarm = (id: string, over: Partial<AlarmRecord> = {}): AlarmRecord => ({
  id,
  scene: 'confined',
  siteId: 's',
  deviceId: 'd',
  rule: 'h2s_ppm_high',
  severity: 'critical',
  state: 'active_unack',
  message: 'm',
  value: 20,
  threshold: 14,
  raisedAt: 1000,
  updatedAt: 1000,
  clearedAt: null,
  ackedAt: null,
  ackedBy: null,
  cameraIds: ['cam-1'],
  ...over,
});

const admin: Watching = { view: 'overview', role: 'admin' };

describe('which alarm pops its camera up', () => {
  it.each([
    ['a new unacknowledged critical alarm with a camera', alarm('a'), true, 'a'],
    ['not when the operator turned it off', alarm('a'), false, null],
    ['not a major alarm', alarm('a', { severity: 'major' }), true, null],
    ['not an acknowledged one', alarm('a', { state: 'active_ack' }), true, null],
    ['not one without cameras', alarm('a', { cameraIds: [] }), true, null],
    ['not one already open when the page opened', alarm('a', { updatedAt: 500 }), true, null],
  ] as const)('%s', (_, a, on, expected) => {
    expect(criticalToPopUp([a], new Set(), on, 900, admin)?.id ?? null).toBe(expected);
  });

  it.each([
    ['an admin looking at the pits: a pit alarm', { view: 'confined', role: 'admin' }, 'confined', true],
    ['an admin looking at the park: not a pit alarm', { view: 'park', role: 'admin' }, 'confined', false],
    ['an admin looking at the park: a park alarm', { view: 'park', role: 'admin' }, 'park', true],
    ['an admin on the overview: any scene', { view: 'overview', role: 'admin' }, 'roads', true],
    ['an inspector on the overview: a pit alarm', { view: 'overview', role: 'inspector' }, 'confined', true],
    ['an inspector on the overview: not a road alarm', { view: 'overview', role: 'inspector' }, 'roads', false],
    ['an inspector looking at the park: not a park alarm, not the role', { view: 'park', role: 'inspector' }, 'park', false],
    ['a traffic controller looking at the roads: a road alarm', { view: 'roads', role: 'traffic' }, 'roads', true],
    ['nobody logged in: nothing', { view: 'confined', role: null }, 'confined', false],
  ] as const)('only what is on screen and the role answers for: %s', (_, watching, scene, pops) => {
    expect(criticalToPopUp([alarm('a', { scene })], new Set(), true, 0, watching) !== null).toBe(pops);
  });

  it('an alarm that arrived off screen stays quiet when the operator turns to its scene later', () => {
    const seen = new Set<string>();
    const a = alarm('a', { scene: 'confined' });
    expect(criticalToPopUp([a], seen, true, 0, { view: 'park', role: 'admin' })).toBeNull();
    expect(criticalToPopUp([a], seen, true, 0, { view: 'confined', role: 'admin' })).toBeNull();
  });

  it('pops each alarm once, again when it turns critical later, and the newest of several', () => {
    const seen = new Set<string>();
    expect(criticalToPopUp([alarm('a', { severity: 'major' })], seen, true, 0, admin)).toBeNull();
    expect(criticalToPopUp([alarm('a', { updatedAt: 2000 })], seen, true, 0, admin)?.id).toBe('a');
    expect(criticalToPopUp([alarm('a', { updatedAt: 2000 })], seen, true, 0, admin)).toBeNull();
    expect(criticalToPopUp([alarm('b', { raisedAt: 1 }), alarm('c', { raisedAt: 5 })], seen, true, 0, admin)?.id).toBe('c');
  });
});

describe("an operator's remembered video choices", () => {
  const store = (v: Record<string, string>) => ({ getItem: (k: string) => v[k] ?? null });

  it('are kept per user', () => {
    const s = store({ [prefsKey('inspector')]: JSON.stringify({ popupCritical: false, wall: { confined: ['c1', null, 'c3'] } }) });
    expect(loadPrefs('inspector', s)).toEqual({ popupCritical: false, wall: { confined: ['c1', null, 'c3', null], park: [null, null, null, null], roads: [null, null, null, null] } });
    expect(loadPrefs('traffic', s).popupCritical).toBe(true);
  });

  it.each([
    ['not JSON', 'nope'],
    ['wrong types', JSON.stringify({ popupCritical: 'yes', wall: { roads: [1, {}, 'r3'] } })],
  ])('fall back to the defaults, field by field, when stored %s', (_, raw) => {
    const p = loadPrefs('u', store({ [prefsKey('u')]: raw }));
    expect(p.popupCritical).toBe(true);
    expect(p.wall.roads).toEqual(raw.startsWith('{') ? [null, null, 'r3', null] : [null, null, null, null]);
  });
});
