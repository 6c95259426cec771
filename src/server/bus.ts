/**
 * The message bus the service talks through: the embedded aedes broker (broker.ts) or an external
 * broker cluster over mqtt.js (this file). Ingest, alarms and live batches only see this interface,
 * so both deployments run the same code.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { redactUrl } from './config';

/** Device messages the service takes its share of on an external broker (DESIGN "Processes"). */
export const SHARED_DEVICE_SUBSCRIPTION = '$share/citytwin/citytwin/v1/+/+/+';

export type MessageHandler = (topic: string, payload: Buffer) => void;

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
  /** Sets the receiver of every device message (`citytwin/v1/{scene}/{deviceId}/{channel}`). */
  onMessage(handler: MessageHandler): void;
  /** Publishes as the service itself: never subject to client authorization. */
  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void>;
  status(): BusStatus;
  close(): Promise<void>;
}

/** mqtt.js may never settle a connect that the broker refuses oddly (PLATFORM.md): bound it. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to an external broker and subscribes to the shared device stream.
 * @param onError told about connection errors after the first connect (mqtt.js keeps reconnecting).
 */
export async function connectExternalBus(url: string, onError: (err: Error) => void = () => {}): Promise<Bus> {
  let handler: MessageHandler = () => {};
  const client: MqttClient = mqtt.connect(url, {
    clientId: `citytwin-svc-${Math.random().toString(36).slice(2, 10)}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // While disconnected, drop QoS 0 (live batches are superseded 200 ms later) instead of queueing
    // them without bound; QoS 1 alarm records are still queued and sent on reconnect.
    queueQoSZero: false,
  });
  client.on('message', (topic, payload) => handler(topic, payload));
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
