/**
 * Each channel's newest reading, read from `readings` itself: its key (device_id, quantity, ts)
 * orders a channel's rows by time, so walking it backwards one channel at a time is one index seek
 * a channel (`SEARCH readings USING PRIMARY KEY ((device_id,quantity)<(?,?))`), not a scan of the
 * history. The writer thread keeps no `latest` table up to date on every batch (that upsert was a
 * fifth of its time); retention keeps each channel's newest row, so nothing this answers expires.
 */
import type Database from 'better-sqlite3';

export type NewestRow = [deviceId: string, quantity: string, ts: number, value: number];

export class NewestReadings {
  private readonly last;
  private readonly before;

  constructor(db: Database.Database) {
    this.last = db.prepare('SELECT device_id, quantity, ts, value FROM readings ORDER BY device_id DESC, quantity DESC, ts DESC LIMIT 1').raw();
    this.before = db
      .prepare('SELECT device_id, quantity, ts, value FROM readings WHERE (device_id, quantity) < (?, ?) ORDER BY device_id DESC, quantity DESC, ts DESC LIMIT 1')
      .raw();
  }

  /**
   * Every channel's newest row, channels in descending key order, one seek per step (lazily: a
   * caller may await between steps; a channel added meanwhile before the walk's position is missed).
   */
  *rows(): Generator<NewestRow> {
    for (let r = this.last.get() as NewestRow | undefined; r; r = this.before.get(r[0], r[1]) as NewestRow | undefined) yield r;
  }
}
