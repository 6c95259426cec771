/**
 * Limits the broker enforces before and beside authentication. aedes reads a whole MQTT packet
 * before it authenticates (a CONNECT announcing 200 MB was buffered: four such sockets added
 * 230 MiB in a second), so the size is checked here, on the fixed header, while the bytes arrive:
 * a packet announcing more than the limit is cut before its body is read.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { MAX_PAYLOAD_BYTES } from '../contracts';

/** A payload's limit plus room for its topic, packet id and properties (a device topic is < 100 bytes). */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 16 * 1024;
/** CONNECT must arrive within this time of opening the connection. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Connections from one address that have not authenticated yet; more are closed at once. */
export const MAX_UNAUTHENTICATED_PER_ADDRESS = 20;

/**
 * Follows the MQTT framing of a byte stream (fixed header: a type byte, then a remaining length
 * of one to four 7-bit groups) without buffering anything. The first packet must be CONNECT.
 */
export class PacketGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  private packets = 0;

  constructor(private readonly maxBytes: number = MAX_PACKET_BYTES) {}

  /** Reads `chunk`'s framing; answers why the stream must be cut, or null while it is fine. */
  feed(chunk: Uint8Array): string | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const b = chunk[i++];
      if (this.state === 'type') {
        if (this.packets++ === 0 && b >> 4 !== 1) return 'the first packet is not CONNECT';
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (b & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      if (this.length > this.maxBytes) return `a packet of ${this.length} bytes is over the limit of ${this.maxBytes}`;
      if (b & 0x80) {
        if (this.lengthBytes === 4) return 'malformed remaining length';
        continue;
      }
      this.remaining = this.length;
      this.state = this.length === 0 ? 'type' : 'body';
    }
    return null;
  }
}

/**
 * Bytes handed to aedes per event-loop turn and connection. aedes parses whatever is buffered in one
 * synchronous go (a 64 KiB read is ~650 telemetry messages, 40–90 ms of rules and storage), which
 * held timers, HTTP and alarms back; 8 KiB is ~80 messages, a few ms.
 */
export const SLICE_BYTES = 8 * 1024;
/** Bytes read from a socket and not yet handed on before it is paused: overload slows the sender (TCP). */
export const QUEUED_BYTES = 128 * 1024;

/**
 * A TCP socket as aedes sees it, with every incoming byte passed through a PacketGuard first, and
 * handed on at most SLICE_BYTES per turn so one busy device connection cannot stall the service.
 * `onCut` is told why a stream was cut (counted as a rejected message).
 */
export class GuardedSocket extends Duplex {
  private readonly guard = new PacketGuard();
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private wanted = false;
  private pumping: NodeJS.Immediate | null = null;

  constructor(
    private readonly socket: Socket,
    onCut: (why: string) => void,
  ) {
    super({ readableHighWaterMark: SLICE_BYTES });
    socket.on('data', (chunk: Buffer) => {
      const why = this.guard.feed(chunk);
      if (why) {
        onCut(why);
        this.destroy();
        return;
      }
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued >= QUEUED_BYTES) socket.pause();
      this.schedule();
    });
    socket.on('end', () => {
      this.ended = true;
      this.schedule();
    });
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.wanted = true;
    this.schedule();
  }

  /** One slice on the next turn, after the I/O and timers that waited meanwhile. */
  private schedule(): void {
    if (this.pumping || !this.wanted || this.destroyed) return;
    if (this.queued === 0 && !this.ended) return;
    this.pumping = setImmediate(() => {
      this.pumping = null;
      if (this.destroyed) return;
      if (this.queued === 0) {
        if (this.ended) this.push(null);
        return;
      }
      let head = this.queue[0];
      if (head.length > SLICE_BYTES) {
        this.queue[0] = head.subarray(SLICE_BYTES);
        head = head.subarray(0, SLICE_BYTES);
      } else this.queue.shift();
      this.queued -= head.length;
      if (this.queued < QUEUED_BYTES / 2 && this.socket.isPaused()) this.socket.resume();
      this.wanted = false;
      if (this.push(head)) this.wanted = true;
      this.schedule();
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.pumping) clearImmediate(this.pumping);
    this.pumping = null;
    this.socket.destroy();
    cb(err);
  }
}

/** Counts connections per address until they authenticate; refuses those over the cap. */
export class UnauthenticatedLimiter {
  private readonly pending = new Map<string, number>();
  private readonly releases = new WeakMap<object, () => void>();

  constructor(private readonly max: number = MAX_UNAUTHENTICATED_PER_ADDRESS) {}

  /** Admits a new connection (`conn` is what aedes will hold) from `address`; false over the cap. */
  admit(conn: object, address: string): boolean {
    const n = this.pending.get(address) ?? 0;
    if (n >= this.max) return false;
    this.pending.set(address, n + 1);
    let released = false;
    this.releases.set(conn, () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(address) ?? 1) - 1;
      if (left <= 0) this.pending.delete(address);
      else this.pending.set(address, left);
    });
    return true;
  }

  /** The connection authenticated or closed: it no longer counts. */
  release(conn: object): void {
    this.releases.get(conn)?.();
  }

  /** Connections from `address` waiting to authenticate. */
  count(address: string): number {
    return this.pending.get(address) ?? 0;
  }
}
