/**
 * SQLite history (better-sqlite3, WAL). Readings are queued and written in batched transactions:
 * one transaction per ~100 ms instead of one per row is what lets SQLite keep up with a stream.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSchema } from './storageSchema';
import type { AlarmRecord, DeviceEvent, Quantity } from '../contracts';

/** Write queued readings at least this often… */
export const FLUSH_INTERVAL_MS = 100;
/** …or as soon as this many rows wait. */
export const FLUSH_ROWS = 2000;

export type ReadingRow = [deviceId: string, quantity: string, ts: number, value: number];

export interface AlarmEventRow {
  alarmId: string;
  ts: number;
  action: string;
  user: string | null;
  comment: string | null;
}

/** One stored device event, as accepted. */
export interface StoredEvent {
  deviceId: string;
  ts: number;
  type: string;
  event: DeviceEvent;
}

export interface AlarmQuery {
  scene?: string;
  openOnly: boolean;
  limit: number;
}

/** One stored transition with the state and severity it left the alarm in (alarm history, issue 6). */
export interface AlarmHistoryRow {
  ts: number;
  action: string;
  user: string | null;
  comment: string | null;
  state: string;
  severity: string;
  /** The shelve's expiry while shelved (null in databases written before it was stored). */
  shelvedUntil: number | null;
}

/** The filters of the alarm history search; every one optional but `limit`. */
export interface AlarmSearch {
  scene?: string;
  /** Alarms open at some time in [fromMs, toMs]: raised by `toMs`, and not closed before `fromMs`. */
  fromMs?: number;
  toMs?: number;
  /** Substring of message, device id, site id, rule or alarm id (ASCII case-insensitive). */
  text?: string;
  severities?: string[];
  /** States; `open` stands for every state but closed. */
  states?: string[];
  limit: number;
}


export class Storage {
  readonly path: string;
  private readonly db: Database.Database;
  private queue: ReadingRow[] = [];
  /** The one connection; stores of other concerns (identity) run their SQL on it. */
  get connection(): Database.Database {
    return this.db;
  }
  private timer: NodeJS.Timeout | null = null;
  /** The last write error, if the most recent flush failed. */
  lastError: string | null = null;

  private readonly st: ReturnType<Storage['prepare']>;
  private readonly writeBatch: (rows: ReadingRow[]) => void;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'citytwin.sqlite');
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last batch.
    this.db.pragma('synchronous = NORMAL');
    createSchema(this.db);
    this.st = this.prepare();
    this.writeBatch = this.db.transaction((rows: ReadingRow[]) => {
      for (const r of rows) {
        this.st.reading.run(r);
        this.st.latest.run(r);
      }
    });
  }

  private prepare() {
    const db = this.db;
    return {
      reading: db.prepare('INSERT OR IGNORE INTO readings (device_id, quantity, ts, value) VALUES (?, ?, ?, ?)'),
      latest: db.prepare(
        `INSERT INTO latest (device_id, quantity, ts, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (device_id, quantity) DO UPDATE SET ts = excluded.ts, value = excluded.value WHERE excluded.ts > latest.ts`,
      ),
      allLatest: db.prepare('SELECT device_id, quantity, ts, value FROM latest'),
      series: db.prepare('SELECT ts, value FROM readings WHERE device_id = ? AND quantity = ? AND ts >= ? AND ts <= ? ORDER BY ts').raw(),
      upsertAlarm: db.prepare(
        `INSERT INTO alarms (id, key, scene, device_id, site_id, rule, severity, state, raised_at, updated_at, record)
         VALUES (@id, @key, @scene, @deviceId, @siteId, @rule, @severity, @state, @raisedAt, @updatedAt, @record)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state,
           updated_at = excluded.updated_at, record = excluded.record`,
      ),
      alarmEvent: db.prepare(
        `INSERT INTO alarm_events (alarm_id, ts, action, user, comment, state, severity, shelved_until, value, threshold, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      alarmById: db.prepare('SELECT record FROM alarms WHERE id = ?').pluck(),
      openAlarms: db.prepare("SELECT key, record FROM alarms WHERE state <> 'closed'"),
      alarmEvents: db.prepare('SELECT alarm_id AS alarmId, ts, action, user, comment FROM alarm_events WHERE alarm_id = ? ORDER BY seq'),
      alarmHistory: db.prepare(
        'SELECT ts, action, user, comment, state, severity, shelved_until AS shelvedUntil FROM alarm_events WHERE alarm_id = ? ORDER BY seq',
      ),
      escalatedOpen: db.prepare(
        `SELECT a.id FROM alarms a WHERE a.state <> 'closed'
           AND EXISTS (SELECT 1 FROM alarm_events e WHERE e.alarm_id = a.id AND e.action = 'escalated')`,
      ).pluck(),
      event: db.prepare('INSERT OR IGNORE INTO events (device_id, scene, ts, type, payload) VALUES (?, ?, ?, ?, ?)'),
      status: db.prepare('INSERT OR IGNORE INTO statuses (device_id, ts, online) VALUES (?, ?, ?)'),
      statusAt: db.prepare('SELECT ts, online FROM statuses WHERE device_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1'),
      eventsBetween: db.prepare(
        'SELECT device_id AS deviceId, ts, type, payload FROM events WHERE scene = ? AND ts >= ? AND ts <= ? ORDER BY ts, device_id',
      ),
      // Replay (issue 6): an index seek on the readings primary key.
      valueAt: db.prepare('SELECT ts, value FROM readings WHERE device_id = ? AND quantity = ? AND ts <= ? ORDER BY ts DESC LIMIT 1'),
      // Alarms raised by `at` with their last transition at or before `at` (seq breaks ts ties).
      alarmsAt: db.prepare(
        `SELECT a.key, a.record, e.ts, e.state, e.severity, e.shelved_until AS shelvedUntil, e.value, e.threshold, e.message,
                EXISTS (SELECT 1 FROM alarm_events e3 WHERE e3.alarm_id = a.id AND e3.ts <= @at AND e3.severity = 'critical') AS everCritical
           FROM alarms a
           JOIN alarm_events e ON e.seq = (SELECT MAX(e2.seq) FROM alarm_events e2 WHERE e2.alarm_id = a.id AND e2.ts <= @at)
          WHERE a.raised_at <= @at AND (@scene IS NULL OR a.scene = @scene) AND e.state <> 'closed'
          ORDER BY a.raised_at DESC, a.id`,
      ),
    };
  }

  /** Queues readings for the next batched write. */
  queueReadings(rows: ReadingRow[]): void {
    for (const r of rows) this.queue.push(r);
    if (this.queue.length >= FLUSH_ROWS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes every queued reading in one transaction. A failed write is reported, not thrown: ingest goes on. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const rows = this.queue;
    this.queue = [];
    try {
      this.writeBatch(rows);
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
    }
  }

  /** The latest stored value of every device channel, to restore the live state at start. */
  latestValues(): { deviceId: string; quantity: Quantity; ts: number; value: number }[] {
    return (this.st.allLatest.all() as { device_id: string; quantity: Quantity; ts: number; value: number }[]).map((r) => ({
      deviceId: r.device_id,
      quantity: r.quantity,
      ts: r.ts,
      value: r.value,
    }));
  }

  /** Raw points of one channel in [fromMs, toMs], oldest first; queued rows are written first. */
  series(deviceId: string, quantity: string, fromMs: number, toMs: number): [number, number][] {
    this.flush();
    return this.st.series.all(deviceId, quantity, fromMs, toMs) as [number, number][];
  }

  /** Stores an alarm's current record and the transition that produced it, atomically. */
  saveAlarm(key: string, alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.db.transaction(() => {
      this.st.upsertAlarm.run({
        id: alarm.id,
        key,
        scene: alarm.scene,
        deviceId: alarm.deviceId,
        siteId: alarm.siteId,
        rule: alarm.rule,
        severity: alarm.severity,
        state: alarm.state,
        raisedAt: alarm.raisedAt,
        updatedAt: alarm.updatedAt,
        record: JSON.stringify(alarm),
      });
      this.writeAlarmEvent(alarm, event);
    })();
  }

  /** Records an event that does not change the alarm record (an escalation), in the state it found it. */
  addAlarmEvent(alarm: AlarmRecord, event: Omit<AlarmEventRow, 'alarmId'>): void {
    this.writeAlarmEvent(alarm, event);
  }

  private writeAlarmEvent(a: AlarmRecord, e: Omit<AlarmEventRow, 'alarmId'>): void {
    this.st.alarmEvent.run(a.id, e.ts, e.action, e.user, e.comment, a.state, a.severity, a.shelvedUntil ?? null, a.value, a.threshold, a.message);
  }

  /** Every transition of one alarm, oldest first. */
  alarmHistory(alarmId: string): AlarmHistoryRow[] {
    return this.st.alarmHistory.all(alarmId) as AlarmHistoryRow[];
  }

  /** Ids of open alarms that have an `escalated` event: they do not escalate again after a restart. */
  escalatedOpenAlarmIds(): string[] {
    return this.st.escalatedOpen.all() as string[];
  }

  /** The alarm history search (including closed alarms), newest first. */
  searchAlarms(q: AlarmSearch): AlarmRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, ...p: (string | number)[]): void => {
      where.push(sql);
      params.push(...p);
    };
    if (q.scene) add('scene = ?', q.scene);
    if (q.toMs !== undefined) add('raised_at <= ?', q.toMs);
    // A closed alarm's last transition is its closing: updated_at is when it closed.
    if (q.fromMs !== undefined) add("(state <> 'closed' OR updated_at >= ?)", q.fromMs);
    if (q.severities?.length) add(`severity IN (${q.severities.map(() => '?').join(', ')})`, ...q.severities);
    if (q.states?.length) {
      const exact = q.states.filter((s) => s !== 'open');
      const parts = exact.length ? [`state IN (${exact.map(() => '?').join(', ')})`] : [];
      if (q.states.includes('open')) parts.push("state <> 'closed'");
      add(`(${parts.join(' OR ')})`, ...exact);
    }
    if (q.text) {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      const cols = ["json_extract(record, '$.message')", 'device_id', 'site_id', 'rule', 'id'];
      add(`(${cols.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`, ...cols.map(() => like));
    }
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).pluck().all(...params, q.limit) as string[]).map((r) => JSON.parse(r) as AlarmRecord);
  }

  alarm(id: string): AlarmRecord | null {
    const rec = this.st.alarmById.get(id) as string | undefined;
    return rec ? (JSON.parse(rec) as AlarmRecord) : null;
  }

  /** Every alarm not closed, with the engine key it was raised under. */
  openAlarms(): { key: string; alarm: AlarmRecord }[] {
    return (this.st.openAlarms.all() as { key: string; record: string }[]).map((r) => ({
      key: r.key,
      alarm: JSON.parse(r.record) as AlarmRecord,
    }));
  }

  /** Alarms newest first. */
  alarms(q: AlarmQuery): AlarmRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.scene) {
      where.push('scene = ?');
      params.push(q.scene);
    }
    if (q.openOnly) where.push("state <> 'closed'");
    const sql = `SELECT record FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY raised_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).pluck().all(...params, q.limit) as string[]).map((r) => JSON.parse(r) as AlarmRecord);
  }

  alarmEvents(alarmId: string): AlarmEventRow[] {
    return this.st.alarmEvents.all(alarmId) as AlarmEventRow[];
  }

  /** Stores an event; false when the same device already sent this type at this ts (a duplicate). */
  saveEvent(deviceId: string, scene: string, ts: number, type: string, payload: unknown): boolean {
    return this.st.event.run(deviceId, scene, ts, type, JSON.stringify(payload)).changes > 0;
  }

  /** Stores a device's status message (a retained one delivered again is stored once). */
  saveStatus(deviceId: string, ts: number, online: boolean): void {
    this.st.status.run(deviceId, ts, online ? 1 : 0);
  }

  /** The device's last status message at or before `atMs` (replay, issue 6). */
  statusAt(deviceId: string, atMs: number): { ts: number; online: boolean } | null {
    const r = this.st.statusAt.get(deviceId, atMs) as { ts: number; online: number } | undefined;
    return r ? { ts: r.ts, online: r.online === 1 } : null;
  }

  /** The latest stored value of one channel at or before `atMs` (replay, issue 6). */
  valueAt(deviceId: string, quantity: string, atMs: number): { ts: number; value: number } | null {
    this.flush();
    return (this.st.valueAt.get(deviceId, quantity, atMs) as { ts: number; value: number } | undefined) ?? null;
  }

  /**
   * Alarms as they stood at `atMs` (replay, issue 6): raised by then and not closed by then, each in
   * the state and severity of its last transition at or before `atMs`. Fields set by later
   * transitions (ack, clear, shelve) are taken back.
   */
  alarmsAt(atMs: number, scene?: string): AlarmRecord[] {
    return this.keyedAlarmsAt(atMs, scene).map((r) => r.alarm);
  }

  /**
   * As `alarmsAt`, with the engine key each was raised under (`deviceId|rule`, `spaceId|evacuate`, …)
   * and whether it had been critical by `atMs` (a leak's zone stays while its alarm is open).
   */
  keyedAlarmsAt(atMs: number, scene?: string): { key: string; alarm: AlarmRecord; everCritical: boolean }[] {
    type Row = {
      key: string;
      record: string;
      ts: number;
      state: string;
      severity: string;
      shelvedUntil: number | null;
      value: number | null;
      threshold: number | null;
      message: string | null;
      everCritical: number;
    };
    const rows = this.st.alarmsAt.all({ at: atMs, scene: scene ?? null }) as Row[];
    return rows.map((r) => {
      const a = JSON.parse(r.record) as AlarmRecord;
      a.state = r.state as AlarmRecord['state'];
      a.severity = r.severity as AlarmRecord['severity'];
      a.updatedAt = r.ts;
      // The value, threshold and message of that transition (an alarm that worsened said less then).
      if (r.message !== null) {
        a.value = r.value;
        a.threshold = r.threshold;
        a.message = r.message;
      }
      if (a.ackedAt !== null && a.ackedAt > atMs) {
        a.ackedAt = null;
        a.ackedBy = null;
      }
      if (a.clearedAt !== null && a.clearedAt > atMs) a.clearedAt = null;
      if (r.state === 'shelved') a.shelvedUntil = r.shelvedUntil;
      else if (a.shelvedUntil != null) {
        a.shelvedUntil = null;
        a.shelveReason = null;
      }
      if (a.active !== undefined) a.active = r.state === 'active_unack' || r.state === 'active_ack' || (r.state === 'shelved' && a.clearedAt === null);
      return { key: r.key, alarm: a, everCritical: r.everCritical === 1 };
    });
  }

  /** Stored device events of one scene with `fromMs ≤ ts ≤ toMs`, oldest first (replay, issue 6). */
  eventsBetween(scene: string, fromMs: number, toMs: number): StoredEvent[] {
    type Row = { deviceId: string; ts: number; type: string; payload: string };
    return (this.st.eventsBetween.all(scene, fromMs, toMs) as Row[]).map((r) => ({
      deviceId: r.deviceId,
      ts: r.ts,
      type: r.type,
      event: JSON.parse(r.payload) as DeviceEvent,
    }));
  }

  /** A cheap liveness probe for /api/health. */
  ok(): boolean {
    try {
      this.db.prepare('SELECT 1').get();
      return this.lastError === null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
