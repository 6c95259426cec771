/**
 * The embedded aedes broker: TCP on MQTT_PORT, WebSocket at `/mqtt` on the HTTP port, and the
 * authorization of DESIGN "Roles" (browsers subscribe with their token, devices publish to their
 * own topics only). Publishes made by the service itself go through `broker.publish`, which aedes
 * never authorizes, so they bypass these rules.
 */
import type { IncomingMessage, Server } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { WebSocketServer } from 'ws';
import {
  BROWSER_MQTT_USERNAME,
  DEVICE_MQTT_USERNAME,
  TOPIC_ROOT,
  parseDeviceTopic,
  type RejectReason,
  type Role,
} from '../contracts';
import { sameSecret, type Auth } from './auth';
import type { Bus, MessageHandler } from './bus';
import type { RegistryIndex } from './registry';
import { MergedWsStream } from './wsStream';

/** Path of MQTT over WebSocket on the HTTP port (DESIGN "Configuration"). */
export const MQTT_WS_PATH = '/mqtt';

/** Topic filters a browser may subscribe to: live batches, alarms and notifications, nothing raw. */
const BROWSER_PREFIXES = [`${TOPIC_ROOT}/live/`, `${TOPIC_ROOT}/alarms/`, `${TOPIC_ROOT}/notify/`];

type Identity = { kind: 'browser'; username: string; role: Role } | { kind: 'device' };

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port; the bound one is in `tcpPort`. */
  mqttPort: number;
  devicePassword: string;
  auth: Auth;
  registry: RegistryIndex;
  /** A device publish refused by authorization, counted like any rejected message. */
  onRefused(reason: RejectReason, detail: string): void;
}

export interface EmbeddedBroker {
  bus: Bus;
  tcpPort: number;
  /** Serves MQTT over WebSocket at `/mqtt` on this HTTP server. */
  attachWebSocket(server: Server): void;
}

function refusal(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * Hands an authorized device publish (or a device's Last Will) to the service and answers aedes
 * when the service is done with it. aedes writes a QoS 1 PUBACK only after this callback, so the
 * PUBACK follows the commit; an error closes the connection without one, and the device sends the
 * message again (MQTT 3.1.1 cannot refuse a single publish).
 */
function deliver(handler: MessageHandler, packet: PublishPacket, cb: (err: Error | null) => void): void {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  handler({ topic: packet.topic, payload, qos: packet.qos }, (err) => cb(err ?? null));
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const identities = new WeakMap<Client, Identity>();
  let handler: MessageHandler = (_msg, ack) => ack();

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (username === undefined && password === undefined) {
        return done(refusal('credentials required', 5), false);
      }
      if (username === DEVICE_MQTT_USERNAME && sameSecret(password, opts.devicePassword)) {
        identities.set(client, { kind: 'device' });
        return done(null, true);
      }
      if (username === BROWSER_MQTT_USERNAME && password) {
        const session = opts.auth.verify(password.toString('utf8'));
        if (session) {
          identities.set(client, { kind: 'browser', username: session.username, role: session.role });
          return done(null, true);
        }
      }
      done(refusal('bad username or password', 4), false);
    },

    authorizeSubscribe(client, sub, cb) {
      const who = identities.get(client);
      const topic = sub.topic;
      const ok =
        who?.kind === 'browser'
          ? BROWSER_PREFIXES.some((p) => topic.startsWith(p))
          : who?.kind === 'device' && topic.startsWith(`${TOPIC_ROOT}/`);
      // cb(null, null) answers SUBACK 0x80 and keeps the client connected.
      cb(null, ok ? sub : null);
    },

    authorizePublish(client, packet, cb) {
      if (!client) return cb(null);
      const who = identities.get(client);
      if (who?.kind !== 'device') return cb(new Error('only devices publish'));
      const t = parseDeviceTopic(packet.topic);
      if (!t) {
        opts.onRefused('bad_topic', `${packet.topic} is not a device topic`);
        return cb(new Error(`not a device topic: ${packet.topic}`));
      }
      const device = opts.registry.devices.get(t.deviceId);
      if (!device || device.scene !== t.scene) {
        opts.onRefused('unknown_device', `${t.scene}/${t.deviceId} is not a registered device`);
        return cb(new Error(`unknown device ${t.scene}/${t.deviceId}`));
      }
      // MQTT 3.1.1 cannot refuse one publish: a denied one closes the connection (PLATFORM.md).
      deliver(handler, packet, cb);
    },
  });

  // A client's socket error is its own problem; without a listener aedes would log nothing useful.
  broker.on('clientError', () => {});
  broker.on('connectionError', () => {});

  const tcp: NetServer = createServer((socket: Socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.mqttPort, opts.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const tcpPort = (tcp.address() as AddressInfo).port;

  const wss = new WebSocketServer({ noServer: true });
  const attachWebSocket = (server: Server): void => {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== MQTT_WS_PATH) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => broker.handle(new MergedWsStream(ws), req));
    });
  };

  const bus: Bus = {
    mode: 'embedded',
    onMessage(h) {
      handler = h;
    },
    publish(topic, payload, { qos, retain }) {
      return new Promise((resolve, reject) => {
        broker.publish(
          { cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos, retain, dup: false },
          (err) => (err ? reject(err) : resolve()),
        );
      });
    },
    status: () => ({ mode: 'embedded', connected: !broker.closed, clients: broker.connectedClients }),
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
  return { bus, tcpPort, attachWebSocket };
}
