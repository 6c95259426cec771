/**
 * The message bus the service talks through: the embedded aedes broker (broker.ts) or an external
 * broker cluster over mqtt.js (this file). Ingest, alarms and live batches only see this interface,
 * so both deployments run the same code.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { redactUrl } from './config';

/** Device messages the service takes its share of on an external broker (docs/architecture.md). */
export const SHARED_DEVICE_SUBSCRIPTION = '$share/citytwin/citytwin/v1/+/+/+';
/** The whole device stream, for the one leader of several instances (its session holds it alone). */
export const DEVICE_SUBSCRIPTION = 'citytwin/v1/+/+/+';

/** A device message as the broker delivered it. */
export interface BusMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
}

/**
 * Says the service is done with a message. The broker acknowledges a QoS 1 message (PUBACK) only
 * then; an error refuses it (no PUBACK, so the sender sends it again).
 */
export type Ack = (err?: Error) => void;

export type MessageHandler = (msg: BusMessage, ack: Ack) => void;

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export interface BusStatus {
  mode: 'embedded' | 'external';
  connected: boolean;
  clients?: number;
  url?: string;
}

export interface Bus {
  readonly mode: 'embedded' | 'external';
  /**
   * Sets the receiver of every device message (`citytwin/v1/{scene}/{deviceId}/{channel}`); it must
   * call `ack`. Messages that arrive before it is set wait (unacknowledged) and go to it then.
   */
  onMessage(handler: MessageHandler): void;
  /** Publishes as the service itself: never subject to client authorization. */
  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void>;
  status(): BusStatus;
  close(): Promise<void>;
}

/** mqtt.js may never settle a connect that the broker refuses oddly: bound it. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The service's own account on an external broker (MQTT_USERNAME / MQTT_PASSWORD). */
export interface BrokerAccount {
  username: string | null;
  password: string | null;
}

/**
 * How the service's session on an external broker lives: by default a fresh clean session taking
 * its share of the stream; `persistentClientId` makes it the leader's session (fixed client id, clean
 * session off, the whole stream at QoS 1), which the broker keeps and fills while no leader is
 * connected, and hands to the next one with that id.
 */
export interface SessionOptions {
  persistentClientId?: string;
}

/**
 * Connects to an external broker and subscribes to the device stream.
 * @param account the service's own credentials there (a password in the URL works too)
 * @param onError told about connection errors after the first connect (mqtt.js keeps reconnecting).
 */
export async function connectExternalBus(url: string, account: BrokerAccount, onError: (err: Error) => void = () => {}, session: SessionOptions = {}): Promise<Bus> {
  const inbox = new Inbox();
  const persistent = session.persistentClientId !== undefined;
  const subscription = persistent ? DEVICE_SUBSCRIPTION : SHARED_DEVICE_SUBSCRIPTION;
  const client: MqttClient = mqtt.connect(url, {
    ...(account.username !== null && { username: account.username }),
    ...(account.password !== null && { password: account.password }),
    clientId: session.persistentClientId ?? `citytwin-svc-${Math.random().toString(36).slice(2, 10)}`,
    clean: !persistent,
    reconnectPeriod: 2000,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // While disconnected, drop QoS 0 (live batches are superseded 200 ms later) instead of queueing
    // them without bound; QoS 1 alarm records are still queued and sent on reconnect.
    queueQoSZero: false,
  });
  holdPubacks(client, inbox);
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      client.end(true);
      reject(new Error(`broker ${redactUrl(url)}: ${why}`));
    };
    const timer = setTimeout(() => fail(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`), CONNECT_TIMEOUT_MS);
    client.once('error', (err) => fail(err.message));
    client.once('connect', () => {
      // Ready only once the subscription is granted: nothing published after start is missed.
      // mqtt.js resubscribes by itself after a reconnect (`resubscribe`, on by default).
      client.subscribeAsync(subscription, { qos: 1 }).then(
        (granted) => {
          if (granted.some((g) => g.qos === 128)) return fail(`subscription ${subscription} refused`);
          clearTimeout(timer);
          resolve();
        },
        (err: Error) => fail(err.message),
      );
    });
  });
  // After the first connect an error is reported and mqtt.js reconnects; it is never thrown.
  client.on('error', onError);

  return {
    mode: 'external',
    onMessage: (h) => inbox.setHandler(h),
    async publish(topic, payload, opts) {
      await client.publishAsync(topic, payload, opts);
    },
    status: () => ({ mode: 'external', connected: client.connected, url: redactUrl(url) }),
    close: () => client.endAsync(),
  };
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void) => void;

/**
 * PUBACK after commit without reading one message per commit: mqtt.js reads the next packet only
 * once `handleMessage` calls back, and sends the PUBACK right then. So the hook calls back at once,
 * and the PUBACK it triggers is held until the service is done with the message (never sent when it
 * refused it: the broker sends that message again when the session reconnects). The broker's
 * in-flight window bounds how many wait. A SUBACK behind a resumed session's queued messages is
 * read too, instead of waiting behind messages nobody can handle yet.
 */
function holdPubacks(client: MqttClient, inbox: Inbox): void {
  // Held PUBACKs of this connection only: after a reconnect the broker sends those messages again.
  let held = new Map<number, Promise<boolean>>();
  client.on('close', () => (held = new Map()));
  const c = client as unknown as { _sendPacket: SendPacket };
  const send = c._sendPacket.bind(client);
  c._sendPacket = (packet, cb) => {
    const mine = held;
    const done = packet.cmd === 'puback' && packet.messageId !== undefined ? mine.get(packet.messageId) : undefined;
    if (!done) return send(packet, cb);
    mine.delete(packet.messageId!);
    void done.then((ok) => ok && held === mine && send(packet));
    cb?.();
  };
  client.handleMessage = (packet, callback) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const msg: BusMessage = { topic: packet.topic, payload, qos: packet.qos };
    // QoS 0 and 2 (whose PUBCOMP mqtt.js sends itself) call back once handled, as mqtt.js expects.
    if (packet.qos !== 1 || packet.messageId === undefined) return inbox.deliver(msg, (err) => callback(err));
    held.set(packet.messageId, new Promise<boolean>((ok) => inbox.deliver(msg, (err) => ok(!err))));
    callback();
  };
}

/** Hands device messages to the handler; until one is set they wait, in order. */
export class Inbox {
  private handler: MessageHandler | null = null;
  private waiting: [BusMessage, Ack][] = [];

  deliver(msg: BusMessage, ack: Ack): void {
    if (this.handler) this.handler(msg, ack);
    else this.waiting.push([msg, ack]);
  }

  setHandler(h: MessageHandler): void {
    this.handler = h;
    const waiting = this.waiting;
    this.waiting = [];
    for (const [msg, ack] of waiting) h(msg, ack);
  }
}

/**
 * The bus of an instance standing by: not connected until it leads (`attach`), so it publishes
 * nothing and receives nothing; the handler set meanwhile gets the stream once attached.
 */
export class DeferredBus implements Bus {
  readonly mode = 'external' as const;
  private bus: Bus | null = null;
  private handler: MessageHandler | null = null;

  attach(bus: Bus): void {
    this.bus = bus;
    if (this.handler) bus.onMessage(this.handler);
  }

  onMessage(h: MessageHandler): void {
    this.handler = h;
    this.bus?.onMessage(h);
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void> {
    return this.bus ? this.bus.publish(topic, payload, opts) : Promise.reject(new Error('standing by: not connected to the broker'));
  }

  status(): BusStatus {
    return this.bus?.status() ?? { mode: 'external', connected: false };
  }

  async close(): Promise<void> {
    await this.bus?.close();
  }
}
