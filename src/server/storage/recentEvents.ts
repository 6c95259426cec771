/**
 * The duplicate check of device events on the hot path, answered from memory: the keys of the
 * events stored lately (and loaded at start), oldest forgotten first. A device resends an
 * unacknowledged event within seconds; the events table's key stores an older duplicate once.
 */
export class RecentEvents {
  /** Keys kept. */
  static readonly CAPACITY = 200_000;
  /** Events of this long ago are loaded at start. */
  static readonly LOAD_MS = 60 * 60_000;
  private readonly keys = new Set<string>();

  /** Remembers the event; false when it was already there (a duplicate). */
  add(deviceId: string, ts: number, type: string): boolean {
    const key = `${deviceId}\u0000${ts}\u0000${type}`;
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > RecentEvents.CAPACITY) this.keys.delete(this.keys.values().next().value!);
    return true;
  }

  /** Stored events `[deviceId, ts, type]`, newest first (as a query with a limit returns them). */
  load(rows: readonly [string, number, string][]): void {
    for (let i = rows.length - 1; i >= 0; i--) this.add(rows[i][0], rows[i][1], rows[i][2]);
  }
}
