/**
 * The one polled resource every scene's data goes through, driven by a stand-in HTTP client whose
 * answers the test releases one by one, and by fake timers for the poll period (the real client
 * and service are covered by the end-to-end tests).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { checkAnswer, type AlarmRecord } from '../../src/contracts';
import { setReplayClock } from '../../src/state/clock';
import { ALARM_DEBOUNCE_MS, createPolledResource, type FetchAnswer } from '../../src/state/resource';
import { createTwinStore } from '../../src/state/store';

const schema = z.array(z.object({ id: z.string(), n: z.number() }));
type Answer = z.infer<typeof schema>;

interface Call {
  path: string;
  token: string;
  signal: AbortSignal;
  answer(json: unknown): Promise<void>;
  fail(status: number, message: string): Promise<void>;
}

/** A client whose every request waits until the test answers it; answers are checked as the real client does. */
function fakeClient() {
  const calls: Call[] = [];
  const fetch: FetchAnswer = (path, s, { token, signal }) =>
    new Promise((resolve, reject) => {
      const settle = async (fn: () => void) => {
        fn();
        await Promise.resolve();
        await Promise.resolve();
      };
      calls.push({
        path,
        token,
        signal,
        answer: (json) =>
          settle(() => {
            const r = checkAnswer(s, json);
            if (r.ok) resolve(r.value);
            else reject(Object.assign(new Error(`bad answer: ${r.reason}`), { kind: 'answer', status: 200 }));
          }),
        fail: (status, message) => settle(() => reject(Object.assign(new Error(message), { kind: 'http', status }))),
      });
    });
  return { calls, fetch, last: () => calls[calls.length - 1] };
}

const alarm = (id: string, scene: AlarmRecord['scene'], state: AlarmRecord['state'] = 'active_unack'): AlarmRecord => ({
  id, scene, siteId: 's', deviceId: 'd', rule: 'h2s_ppm_high', severity: 'major', state, message: 'm', value: 1, threshold: 1,
  raisedAt: 1, updatedAt: 1, clearedAt: null, ackedAt: null, ackedBy: null,
});

function setup(path: string | (() => string | null) = '/api/things') {
  const twin = createTwinStore();
  twin.getState().setAuth({ token: 'tok', role: 'admin', username: 'admin' });
  const client = fakeClient();
  const resource = createPolledResource<Answer>(path, { periodMs: 2000, schema, refetchOnAlarmsOf: 'confined' });
  const release = resource.retain({ twin, fetch: client.fetch });
  return { twin, client, resource, release };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  setReplayClock(null);
});

describe('createPolledResource', () => {
  it('fetches at once with the session token, then every period; an equal answer changes nothing downstream', async () => {
    const { client, resource, release } = setup();
    expect(client.calls.map((c) => [c.path, c.token])).toEqual([['/api/things', 'tok']]);
    await client.last().answer([{ id: 'a', n: 1 }]);
    const first = resource.store.getState();
    expect(first).toMatchObject({ data: [{ id: 'a', n: 1 }], version: 1, shownAt: null, error: null, loading: false });

    await vi.advanceTimersByTimeAsync(2000);
    expect(client.calls).toHaveLength(2);
    await client.last().answer([{ id: 'a', n: 1 }]);
    expect(resource.store.getState().data).toBe(first.data);
    expect(resource.store.getState().version).toBe(1);
    release();
  });

  it('never lets an older answer overwrite a newer one', async () => {
    const { client, resource, release } = setup();
    await vi.advanceTimersByTimeAsync(2000);
    const [older, newer] = client.calls;
    await newer.answer([{ id: 'new', n: 2 }]);
    await older.answer([{ id: 'old', n: 1 }]);
    expect(resource.store.getState().data).toEqual([{ id: 'new', n: 2 }]);
    release();
  });

  it('asks for the replayed instant, drops what was asked for the old one, and does not ask an answered instant again', async () => {
    const { client, resource, release } = setup();
    await client.last().answer([{ id: 'live', n: 0 }]);
    setReplayClock(1_000_000);
    const atFirst = client.last();
    expect(atFirst.path).toBe('/api/things?at=1000000');
    setReplayClock(2_000_000);
    expect(atFirst.signal.aborted).toBe(true);
    expect(client.last().path).toBe('/api/things?at=2000000');
    await atFirst.answer([{ id: 'stale instant', n: 1 }]);
    expect(resource.store.getState().data).toEqual([{ id: 'live', n: 0 }]);
    await client.last().answer([{ id: 'then', n: 2 }]);
    expect(resource.store.getState()).toMatchObject({ data: [{ id: 'then', n: 2 }], shownAt: 2_000_000 });

    const asked = client.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.calls).toHaveLength(asked);
    // Back to live: the live answer at once, and polling again.
    setReplayClock(null);
    expect(client.last().path).toBe('/api/things');
    await client.last().answer([{ id: 'live', n: 3 }]);
    expect(resource.store.getState().shownAt).toBeNull();
    release();
  });

  it('keeps the last good data and says why when an answer is off the contract or an error', async () => {
    const { client, resource, release } = setup();
    await client.last().answer([{ id: 'a', n: 1 }]);
    await vi.advanceTimersByTimeAsync(2000);
    await client.last().answer([{ id: 'a', n: 'one' }]);
    expect(resource.store.getState()).toMatchObject({ data: [{ id: 'a', n: 1 }], error: { kind: 'answer', message: expect.stringContaining('0.n') } });
    await vi.advanceTimersByTimeAsync(2000);
    await client.last().fail(500, 'database locked');
    expect(resource.store.getState().error).toEqual({ kind: 'http', status: 500, message: 'database locked' });
    await vi.advanceTimersByTimeAsync(2000);
    await client.last().answer([]);
    expect(resource.store.getState()).toMatchObject({ data: [], error: null });
    release();
  });

  it('fetches soon after an alarm of its scene changes, not for other scenes, and once for a burst', async () => {
    const { twin, client, release } = setup();
    await client.last().answer([]);
    twin.getState().applyAlarmChanges(new Map([['p1', alarm('p1', 'park')]]));
    await vi.advanceTimersByTimeAsync(ALARM_DEBOUNCE_MS);
    expect(client.calls).toHaveLength(1);
    twin.getState().applyAlarmChanges(new Map([['c1', alarm('c1', 'confined')]]));
    twin.getState().applyAlarmChanges(new Map([['c1', alarm('c1', 'confined', 'active_ack')]]));
    await vi.advanceTimersByTimeAsync(ALARM_DEBOUNCE_MS);
    expect(client.calls).toHaveLength(2);
    release();
  });

  it('polls while anyone holds it, stops with the last release, and empties on logout', async () => {
    const { twin, client, resource, release } = setup();
    const second = resource.retain({ twin, fetch: client.fetch });
    await client.last().answer([{ id: 'a', n: 1 }]);
    release();
    release();
    await vi.advanceTimersByTimeAsync(2000);
    expect(client.calls).toHaveLength(2);
    await client.last().answer([{ id: 'a', n: 1 }]);
    twin.getState().logout();
    expect(resource.store.getState()).toMatchObject({ data: null, error: null, shownAt: null });
    second();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.calls).toHaveLength(2);
  });

  it('asks nothing while its path says there is nothing to ask, and forgets the answer for a path it has left', async () => {
    let path: string | null = null;
    const { client, resource, release } = setup(() => path);
    await vi.advanceTimersByTimeAsync(2000);
    expect(client.calls).toHaveLength(0);
    path = '/api/route?from=1,2&to=3,4';
    resource.refresh();
    await client.last().answer([{ id: 'r', n: 1 }]);
    expect(resource.store.getState().data).toEqual([{ id: 'r', n: 1 }]);
    path = '/api/route?from=5,6&to=7,8';
    resource.refresh();
    const pending = client.last();
    path = null;
    resource.refresh();
    await pending.answer([{ id: 'late', n: 2 }]);
    expect(resource.store.getState().data).toBeNull();
    release();
  });
});
