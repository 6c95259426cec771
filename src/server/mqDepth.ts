/**
 * aedes hands every message to its mqemitter, which drains its queue by recursion: each finished
 * message starts the next one in the same stack. After a backlog (a slow subscriber holding its
 * deliveries while devices keep publishing) tens of thousands of queued messages overflow the stack
 * and the service dies with a RangeError — met by the city-scale bench, and still open upstream
 * (mqemitter pull request 204). This caps the depth: past `maxDepth` nested starts, the next message
 * goes back to the head of the queue and starts on the next turn of the event loop, in order.
 */

/** Nested starts before the drain yields: far below Node's ~10,000-frame stack, far above a normal burst. */
export const MAX_DRAIN_DEPTH = 500;

interface Drain {
  _do(message: unknown, callback: unknown): unknown;
  _released(): void;
  _messageQueue: unknown[];
  _messageCallbacks: unknown[];
  current: number;
  _doing: boolean;
}

/** Bounds the recursion of an mqemitter's drain (aedes's `broker.mq`); throws if its internals are not the known ones. */
export function boundDrainDepth(mq: unknown, maxDepth = MAX_DRAIN_DEPTH): void {
  const q = mq as Partial<Drain>;
  if (typeof q._do !== 'function' || typeof q._released !== 'function' || !Array.isArray(q._messageQueue) || !Array.isArray(q._messageCallbacks) || typeof q.current !== 'number') {
    throw new Error('the broker\'s mqemitter is not the version whose drain this bounds (see src/server/mqDepth.ts)');
  }
  const start = q._do;
  let depth = 0;
  q._do = function (this: Drain, message: unknown, callback: unknown) {
    if (depth >= maxDepth) {
      // Back to the head, its slot kept; the next turn's release takes it first.
      this._messageQueue.unshift(message);
      this._messageCallbacks.unshift(callback);
      this.current++;
      this._doing = true;
      setImmediate(() => this._released());
      return this;
    }
    depth++;
    try {
      return start.call(this, message, callback);
    } finally {
      depth--;
    }
  };
}
