/**
 * The message bus the service talks through: the embedded aedes broker (broker.ts) or an external
 * broker cluster over mqtt.js (this file). Ingest, alarms and live batches only see this interface,
 * so both deployments run the same code.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { redactUrl } from './config';

/** Device messages the service takes its share of on an external broker (docs/architecture.md). */
export const SHARED_DEVICE_SUBSCRIPTION = '$share/citytwin/citytwin/v1/+/+/+';

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
  /** Sets the receiver of every device message (`citytwin/v1/{scene}/{deviceId}/{channel}`); it must call `ack`. */
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
 * Connects to an external broker and subscribes to the shared device stream.
 * @param account the service's own credentials there (a password in the URL works too)
 * @param onError told about connection errors after the first connect (mqtt.js keeps reconnecting).
 */
export async function connectExternalBus(url: string, account: BrokerAccount, onError: (err: Error) => void = () => {}): Promise<Bus> {
  let handler: MessageHandler = (_msg, ack) => ack();
  const client: MqttClient = mqtt.connect(url, {
    ...(account.username !== null && { username: account.username }),
    ...(account.password !== null && { password: account.password }),
    clientId: `citytwin-svc-${Math.random().toString(36).slice(2, 10)}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // While disconnected, drop QoS 0 (live batches are superseded 200 ms later) instead of queueing
    // them without bound; QoS 1 alarm records are still queued and sent on reconnect.
    queueQoSZero: false,
  });
  // mqtt.js sends the PUBACK of a QoS 1 message once this hook calls back: after the service's commit.
  client.handleMessage = (packet, done) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    handler({ topic: packet.topic, payload, qos: packet.qos }, (err) => done(err));
  };
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
      client.subscribeAsync(SHARED_DEVICE_SUBSCRIPTION, { qos: 1 }).then(
        (granted) => {
          if (granted.some((g) => g.qos === 128)) return fail(`subscription ${SHARED_DEVICE_SUBSCRIPTION} refused`);
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
    onMessage(h) {
      handler = h;
    },
    async publish(topic, payload, opts) {
      await client.publishAsync(topic, payload, opts);
    },
    status: () => ({ mode: 'external', connected: client.connected, url: redactUrl(url) }),
    close: () => client.endAsync(),
  };
}
