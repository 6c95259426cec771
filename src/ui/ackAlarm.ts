/**
 * Acknowledges an alarm through the API and tells the operator how it went. The updated record is
 * applied at once; the retained MQTT record that follows says the same.
 */
import { ApiError, api } from '../live';
import { twin } from '../state';

export async function ackAlarm(alarmId: string): Promise<void> {
  const s = twin.getState();
  const token = s.auth?.token;
  if (!token) return;
  try {
    const rec = await api.ackAlarm(token, alarmId);
    if (rec) twin.getState().applyAlarmChanges(new Map([[rec.id, rec]]));
    twin.getState().notify({ kind: 'info', text: 'acknowledged', key: 'alarms.acked' });
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 0;
    const notify = twin.getState().notify;
    if (status === 401) twin.getState().logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
    else if (status === 403) notify({ kind: 'error', text: 'forbidden', key: 'alarms.ack403' });
    else if (status === 409) notify({ kind: 'error', text: 'conflict', key: 'alarms.ack409' });
    else if (status === 0) notify({ kind: 'error', text: 'network', key: 'error.network' });
    else notify({ kind: 'error', text: String(e), key: 'alarms.ackFailed', params: { message: (e as Error).message } });
  }
}

/** Acknowledges every alarm of `ids` in one request (after a flood or a restart) and says how many went through. */
export async function ackAlarms(ids: string[]): Promise<void> {
  const s = twin.getState();
  const token = s.auth?.token;
  if (!token || ids.length === 0) return;
  try {
    const r = await api.ackAlarms(token, ids);
    // The updated records follow over MQTT (retained); the toast says what happened now.
    s.notify({ kind: r.refused.length ? 'error' : 'info', text: 'acknowledged', key: 'alarms.ackedMany', params: { count: r.acked, refused: r.refused.length } });
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 0;
    if (status === 401) s.logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
    else s.notify({ kind: 'error', text: String(e), key: 'alarms.ackFailed', params: { message: (e as Error).message } });
  }
}
