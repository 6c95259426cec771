/**
 * High availability: instances sharing one PostgreSQL database and one external broker elect a
 * leader. The instance holding a session-level advisory lock leads: it holds the persistent broker
 * session, ingests, raises alarms and runs the clocks. The others stand by: they answer the API from
 * the shared database, send operator actions on to the leader, and try the lock every second. A
 * killed leader's database connection closes with its process and PostgreSQL releases the lock with
 * it, so a standby leads within about a second plus its restore.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { sendError } from './api/context';

/** Any 64-bit number the instances agree on ('CTlead'). */
export const LEADER_LOCK = 0x43_54_6c_65_61_64;
/** How often a standby tries the lock. */
export const TRY_EVERY_MS = 1000;
/** A forwarded operator action that gets no answer within this is answered 503. */
const FORWARD_TIMEOUT_MS = 10_000;

export type HaRole = 'leader' | 'standby';

export interface LeadershipHooks {
  /** Called once, when this instance takes the lock: start ingesting. */
  lead(): Promise<void>;
  /** The lock's connection broke while leading: another instance may lead already. */
  lost(err: Error): void;
  warn(message: string): void;
}

export class Leadership {
  role: HaRole = 'standby';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly client: pg.Client,
    readonly instanceId: string,
    private readonly url: string,
    private readonly hooks: LeadershipHooks,
  ) {}

  /**
   * Connects its own connection (the lock lives as long as it does), tries the lock once and, when
   * another instance leads, keeps trying every TRY_EVERY_MS.
   * @param url where the other instances reach this one's API (for forwarded operator actions)
   */
  static async start(databaseUrl: string, instanceId: string, url: string, hooks: LeadershipHooks): Promise<Leadership> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `citytwin-ha ${instanceId}` });
    await client.connect();
    const l = new Leadership(client, instanceId, url, hooks);
    client.on('error', (err) => l.broken(err));
    client.on('end', () => l.broken(new Error('connection to the database ended')));
    await l.attempt();
    return l;
  }

  /** The leader's API, from the shared database; null when none has led yet. */
  async leader(): Promise<{ instanceId: string; url: string | null } | null> {
    const r = await this.client.query<{ instance_id: string; url: string | null }>('SELECT instance_id, url FROM ha_leader');
    return r.rows[0] ? { instanceId: r.rows[0].instance_id, url: r.rows[0].url } : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    // Ending the connection releases the lock: a standby leads within a second.
    await this.client.end().catch(() => {});
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    try {
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
      if (r.rows[0].ok) {
        this.role = 'leader';
        await this.client.query(
          `INSERT INTO ha_leader (singleton, instance_id, url, since) VALUES (true, $1, $2, $3)
           ON CONFLICT (singleton) DO UPDATE SET instance_id = excluded.instance_id, url = excluded.url, since = excluded.since`,
          [this.instanceId, this.url, Date.now()],
        );
        await this.hooks.lead();
        return;
      }
    } catch (err) {
      // A leader that cannot take the stream steps down (its lock goes with its connection).
      if (this.role === 'leader') return this.broken(err as Error);
      this.hooks.warn(`ha: could not try the leader lock: ${(err as Error).message}`);
    }
    this.timer = setTimeout(() => void this.attempt(), TRY_EVERY_MS);
    this.timer.unref();
  }

  private broken(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.role === 'leader') this.hooks.lost(err);
    else this.hooks.warn(`ha: standby lost its database connection: ${err.message}`);
  }
}

/** Changed on the leader only: the alarm state its engine owns, and credentials (it tells the broker). */
const LEADER_ROUTES = ['/api/alarms', '/api/devices', '/api/gateways', '/api/sites', '/api/registry', '/api/thresholds'];

/**
 * On a standby, operator actions that change the alarm state (ack, shelve, …) and credential issues
 * go to the leader; the leader checks the caller's token in the shared database.
 */
export function forwardToLeader(app: FastifyInstance, ha: () => Leadership | null): void {
  app.addHook('preHandler', async (req, reply) => {
    const l = ha();
    if (!l || l.role === 'leader' || req.method === 'GET' || req.method === 'HEAD') return;
    if (!LEADER_ROUTES.some((p) => req.routeOptions.url?.startsWith(p))) return;
    const leader = await l.leader().catch(() => null);
    if (!leader?.url || leader.instanceId === l.instanceId) return sendError(reply, 503, 'standby', 'no instance leads at the moment: try again in a few seconds');
    try {
      const headers: Record<string, string> = { 'x-forwarded-for': req.ip };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      // A file (an import, a site model) goes on as its bytes; anything else was JSON.
      const raw = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : null;
      if (req.body !== undefined) headers['content-type'] = raw ? (req.headers['content-type'] ?? 'application/octet-stream') : 'application/json';
      const res = await fetch(leader.url + req.url, {
        method: req.method,
        headers,
        body: raw ?? (req.body !== undefined ? JSON.stringify(req.body) : undefined),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
      reply.code(res.status).header('content-type', res.headers.get('content-type') ?? 'application/json');
      return reply.send(Buffer.from(await res.arrayBuffer()));
    } catch (err) {
      return sendError(reply, 503, 'standby', `the leader did not answer: ${(err as Error).message}`);
    }
  });
}
