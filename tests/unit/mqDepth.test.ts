/**
 * The broker's message drain after a backlog: a subscriber holds a hundred deliveries while 20,000
 * more queue up, then lets go. aedes's own emitter, as the service runs it, must deliver every one,
 * in order, without overflowing the stack.
 */
import { Aedes } from 'aedes';
import { describe, expect, it } from 'vitest';
import { boundDrainDepth } from '../../src/server/mqDepth';

/** aedes's emitter, which its types do not name. */
const mqOf = (broker: Aedes) => (broker as unknown as { mq: Emitter & { current: number } }).mq;

interface Emitter {
  on(topic: string, notify: (m: { i: number; slow?: boolean }, cb: () => void) => void): void;
  emit(m: { topic: string; i: number; slow?: boolean }): void;
  length: number;
}

/** Queues `n` messages behind 100 held ones on the broker's emitter; releases them; what was delivered. */
async function backlog(mq: Emitter, n: number): Promise<number[]> {
  const held: (() => void)[] = [];
  const seen: number[] = [];
  mq.on('citytwin/v1/confined/d/telemetry', (m, cb) => {
    if (m.slow) return void held.push(cb);
    seen.push(m.i);
    cb();
  });
  for (let i = 0; i < 100; i++) mq.emit({ topic: 'citytwin/v1/confined/d/telemetry', i: -1, slow: true });
  for (let i = 0; i < n; i++) mq.emit({ topic: 'citytwin/v1/confined/d/telemetry', i });
  expect(mq.length).toBe(n);
  for (const cb of held) cb();
  while (seen.length < n) await new Promise((r) => setImmediate(r));
  return seen;
}

describe('the broker drains a backlog without overflowing its stack', () => {
  it('overflows as shipped (the fault this guards against)', async () => {
    const broker = await Aedes.createBroker({ concurrency: 100 });
    await expect(backlog(mqOf(broker), 20_000)).rejects.toThrow(RangeError);
    await new Promise<void>((r) => broker.close(() => r()));
  });

  it('delivers all 20,000 in order once bounded', async () => {
    const broker = await Aedes.createBroker({ concurrency: 100 });
    boundDrainDepth(mqOf(broker));
    const seen = await backlog(mqOf(broker), 20_000);
    expect(seen.length).toBe(20_000);
    expect(seen.every((v, i) => v === i)).toBe(true);
    // Nothing stays in flight: the deferred starts' turns give their slots back.
    for (let turn = 0; turn < 1000 && mqOf(broker).current > 0; turn++) await new Promise((r) => setImmediate(r));
    expect(mqOf(broker).current).toBe(0);
    await new Promise<void>((r) => broker.close(() => r()));
  });

  it('refuses an emitter whose drain it does not know', () => {
    expect(() => boundDrainDepth({})).toThrow(/not the version/);
  });
});
