/**
 * The embedded aedes broker: TCP on MQTT_PORT, WebSocket at `/mqtt` on the HTTP port. Who may do
 * what is decided in mqttAccess.ts and the limits before authentication in brokerLimits.ts; this
 * file wires them to aedes' hooks, keeps each connection's identity, and closes connections whose
 * session or credentials were revoked or expired. Publishes made by the service itself go through
 * `broker.publish`, which aedes never authorizes, so they bypass these rules.
 */
import type { IncomingMessage, Server } from 'node:http';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { WebSocketServer } from 'ws';
import { BROWSER_MQTT_USERNAME, TOPIC_ROOT, type RejectReason } from '../contracts';
import type { Auth, Revocation } from './auth';
import { CONNECT_TIMEOUT_MS, GuardedSocket, MAX_PACKET_BYTES, PacketGuard, UnauthenticatedLimiter } from './brokerLimits';
import { Inbox, type Bus } from './bus';
import { stillValid, type MqttCredentials } from './identity/credentials';
import { MAX_SUBSCRIPTIONS_PER_CLIENT, clientIdRefusal, decidePublish, decideSubscribe, type MqttIdentity } from './mqttAccess';
import { boundDrainDepth } from './mqDepth';
import type { RegistryIndex } from './registry';
import { MergedWsStream } from './wsStream';

/** Path of MQTT over WebSocket on the HTTP port (README "Configuration"). */
export const MQTT_WS_PATH = '/mqtt';
/** Browser sessions are checked this often, so an expired token's connection closes within 5 s. */
export const SESSION_SWEEP_MS = 1000;

export interface EmbeddedBrokerOptions {
  host: string;
  /** 0 picks a free port; the bound one is in `tcpPort`. */
  mqttPort: number;
  auth: Auth;
  credentials: MqttCredentials;
  registry: RegistryIndex;
  /** A device publish refused by authorization or a limit, counted like any rejected message. */
  onRefused(reason: RejectReason, detail: string): void;
}

export interface EmbeddedBroker {
  bus: Bus;
  tcpPort: number;
  /** Serves MQTT over WebSocket at `/mqtt` on this HTTP server. */
  attachWebSocket(server: Server): void;
}

function refusal(message: string, returnCode: 2 | 3 | 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** The identity of a CONNECT's credentials: a user's token, or a device's or gateway's secret. */
async function identify(opts: EmbeddedBrokerOptions, username: string, password: Buffer): Promise<MqttIdentity | null> {
  if (username === BROWSER_MQTT_USERNAME) {
    const s = await opts.auth.verify(password.toString('utf8'));
    return s ? { kind: 'user', key: `user:${s.username}`, username: s.username, role: s.role, tokenHash: s.tokenHash } : null;
  }
  return opts.credentials.authenticate(username, password);
}

/** Does a revocation end the connection of `who`? */
function revokes(r: Revocation, who: MqttIdentity): boolean {
  if (r.kind === 'credential') return (who.kind === 'device' && who.deviceId === r.username) || (who.kind === 'gateway' && who.id === r.username);
  if (who.kind !== 'user') return false;
  if (r.kind === 'session') return who.tokenHash === r.tokenHash;
  return who.username === r.username && who.tokenHash !== r.keepHash;
}

/**
 * Hands an authorized device publish (or a device's Last Will) to the service and answers aedes
 * when the service is done with it. aedes writes a QoS 1 PUBACK only after this callback, so the
 * PUBACK follows the commit; an error closes the connection without one, and the device sends the
 * message again (MQTT 3.1.1 cannot refuse a single publish).
 */
function deliver(inbox: Inbox, packet: PublishPacket, cb: (err: Error | null) => void): void {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  inbox.deliver({ topic: packet.topic, payload, qos: packet.qos }, (err) => cb(err ?? null));
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const identities = new WeakMap<Client, MqttIdentity>();
  /** Who holds each client id: the identity key and the connection (a clean=false session keeps it). */
  const owners = new Map<string, { key: string; client: Client }>();
  const subscriptions = new WeakMap<Client, Set<string>>();
  const revoked = new WeakSet<Client>();
  const limiter = new UnauthenticatedLimiter();
  const inbox = new Inbox();

  const broker = await Aedes.createBroker({
    connectTimeout: CONNECT_TIMEOUT_MS,
    authenticate(client, username, password, done) {
      limiter.release(client.conn);
      if (username === undefined || password === undefined) return done(refusal('credentials required', 5), false);
      identify(opts, username, password).then(
        (who) => {
          if (!who) return done(refusal('bad username or password', 4), false);
          // Decided after the lookup: nothing can take the id between this check and the set.
          const why = clientIdRefusal(who, client.id, owners.get(client.id)?.key);
          if (why) return done(refusal(why, 2), false);
          identities.set(client, who);
          owners.set(client.id, { key: who.key, client });
          done(null, true);
        },
        // The identity store could not answer: refuse as the server being unavailable (3).
        () => done(refusal('server unavailable', 3), false),
      );
    },

    authorizeSubscribe(client, sub, cb) {
      const who = client && identities.get(client);
      const held = subscriptions.get(client) ?? new Set<string>();
      const ok = !!who && decideSubscribe(who, sub.topic, opts.registry) && (held.has(sub.topic) || held.size < MAX_SUBSCRIPTIONS_PER_CLIENT);
      if (ok) subscriptions.set(client, held.add(sub.topic));
      // cb(null, null) answers SUBACK 0x80 and keeps the client connected.
      cb(null, ok ? sub : null);
    },

    authorizePublish(client, packet, cb) {
      if (!client) return cb(null);
      const who = identities.get(client);
      if (!who || revoked.has(client)) return cb(new Error('connection revoked'));
      const d = decidePublish(who, packet.topic, packet.retain, opts.registry);
      if (d.ok) return deliver(inbox, packet, cb);
      if (d.reason) opts.onRefused(d.reason, d.detail);
      // MQTT 3.1.1 cannot refuse one publish: a denied one closes the connection.
      cb(new Error(d.detail));
    },
  });
  // A backlog drained in one stack killed the service at city scale (mqDepth.ts).
  boundDrainDepth((broker as unknown as { mq: unknown }).mq);

  broker.on('unsubscribe', (topics, client) => {
    const held = client && subscriptions.get(client);
    if (held) for (const t of topics) held.delete(t);
  });
  broker.on('clientDisconnect', (client) => {
    const o = owners.get(client.id);
    // A persistent session (clean=false) keeps its client id for its identity.
    if (o?.client === client && client.clean) owners.delete(client.id);
  });

  /** Closes every connection whose identity `ends` says is over. */
  const closeWhere = (ends: (who: MqttIdentity) => boolean): void => {
    for (const client of Object.values((broker as unknown as { clients: Record<string, Client> }).clients)) {
      const who = identities.get(client);
      if (!who || !ends(who)) continue;
      revoked.add(client);
      client.close();
    }
  };
  opts.auth.onRevoke((r) => closeWhere((who) => revokes(r, who)));
  // Browser sessions every second (they expire; Auth answers from its short cache); device
  // credentials, whose rotation is announced at once, only as a backstop every 30 s, in one read.
  let sweeps = 0;
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    const devicesToo = sweeps++ % 30 === 0;
    (async () => {
      const ended = new Set<string>();
      for (const client of Object.values((broker as unknown as { clients: Record<string, Client> }).clients)) {
        const who = identities.get(client);
        if (who?.kind === 'user' && !ended.has(who.tokenHash) && (await opts.auth.verifyHash(who.tokenHash)) === null) ended.add(who.tokenHash);
      }
      const hashes = devicesToo ? await opts.credentials.currentHashes() : null;
      closeWhere((who) => (who.kind === 'user' ? ended.has(who.tokenHash) : hashes !== null && !stillValid(who, hashes)));
    })()
      // A database hiccup: the next sweep tries again.
      .catch(() => {})
      .finally(() => (sweeping = false));
  }, SESSION_SWEEP_MS);
  sweep.unref();

  // A client's socket error is its own problem; without a listener aedes would log nothing useful.
  broker.on('clientError', () => {});
  broker.on('connectionError', () => {});

  const cut = (why: string) => opts.onRefused('too_large', why);
  const tcp: NetServer = createServer((socket: Socket) => {
    const conn = new GuardedSocket(socket, cut);
    if (!limiter.admit(conn, socket.remoteAddress ?? '')) return void socket.destroy();
    conn.once('close', () => limiter.release(conn));
    broker.handle(conn);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.mqttPort, opts.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const tcpPort = (tcp.address() as AddressInfo).port;

  // A frame over the packet limit is refused by ws itself (its default would be 100 MiB).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PACKET_BYTES });
  const attachWebSocket = (server: Server): void => {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== MQTT_WS_PATH) {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // MQTT packets may span frames: the guard follows the stream, not the frames.
        const guard = new PacketGuard();
        const conn = new MergedWsStream(ws, (data) => {
          const why = guard.feed(data);
          if (why) cut(why);
          return why === null;
        });
        if (!limiter.admit(conn, req.socket.remoteAddress ?? '')) return void ws.terminate();
        conn.once('close', () => limiter.release(conn));
        broker.handle(conn, req);
      });
    });
  };

  const bus: Bus = {
    mode: 'embedded',
    onMessage: (h) => inbox.setHandler(h),
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
      clearInterval(sweep);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
  return { bus, tcpPort, attachWebSocket };
}
