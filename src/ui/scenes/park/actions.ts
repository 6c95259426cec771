/** Shelving an alarm through the API, telling the operator how it went (as ../../ackAlarm.ts does for ack). */
import { ApiError, api } from '../../../live';
import { twin } from '../../../state';

/** Shelves `alarmId` for `minutes` with `reason`; true when the service accepted it. */
export async function shelveAlarm(alarmId: string, minutes: number, reason: string): Promise<boolean> {
  const token = twin.getState().auth?.token;
  if (!token) return false;
  try {
    const rec = await api.shelveAlarm(token, alarmId, minutes, reason);
    if (rec) twin.getState().applyAlarmChanges(new Map([[rec.id, rec]]));
    twin.getState().notify({ kind: 'info', text: 'shelved', key: 'parkUi.alarms.shelved' });
    return true;
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 0;
    const notify = twin.getState().notify;
    if (status === 401) twin.getState().logout({ kind: 'error', text: 'session expired', key: 'login.expired' });
    else if (status === 403) notify({ kind: 'error', text: 'forbidden', key: 'parkUi.alarms.shelve403' });
    else if (status === 409 && /not[_ ]shelvable/.test((e as Error).message)) notify({ kind: 'error', text: 'not shelvable', key: 'parkUi.alarms.shelve409' });
    else if (status === 409) notify({ kind: 'error', text: 'conflict', key: 'alarms.ack409' });
    else if (status === 0) notify({ kind: 'error', text: 'network', key: 'error.network' });
    else notify({ kind: 'error', text: String(e), key: 'parkUi.alarms.shelveFailed', params: { message: (e as Error).message } });
    return false;
  }
}
