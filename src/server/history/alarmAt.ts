/**
 * An alarm record as it stood at a past instant. Storage keeps each alarm's latest record and
 * every transition with the state, severity, shelve expiry, value, threshold and message it left;
 * the record at an instant is the latest one taken back to its last transition at or before that
 * instant. Pure: the replay (`TwinAt`) and its tests build records from rows alone.
 */
import type { AlarmRecord } from '../../contracts';
import type { TransitionAt } from '../storage';

/**
 * `latest` (the alarm's current record) as it stood at `atMs`, given its last transition then:
 * state, severity and `updatedAt` of that transition, its value, threshold and message (an alarm
 * that worsened later said less then), and fields set by later transitions (ack, clear, shelve)
 * taken back. `latest` is not changed.
 */
export function alarmAt(latest: AlarmRecord, last: TransitionAt, atMs: number): AlarmRecord {
  const a: AlarmRecord = { ...latest, state: last.state, severity: last.severity, updatedAt: last.ts };
  if (last.message !== null) {
    a.value = last.value;
    a.threshold = last.threshold;
    a.message = last.message;
  }
  if (a.ackedAt !== null && a.ackedAt > atMs) {
    a.ackedAt = null;
    a.ackedBy = null;
  }
  if (a.clearedAt !== null && a.clearedAt > atMs) a.clearedAt = null;
  if (last.state === 'shelved') a.shelvedUntil = last.shelvedUntil;
  else if (a.shelvedUntil != null) {
    a.shelvedUntil = null;
    a.shelveReason = null;
  }
  // A shelved alarm is still active unless its condition had cleared by then.
  if (a.active !== undefined) a.active = last.state === 'active_unack' || last.state === 'active_ack' || (last.state === 'shelved' && a.clearedAt === null);
  return a;
}
