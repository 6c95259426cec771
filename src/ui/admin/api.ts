/**
 * The identity and access API as the app uses it: logout and one's own password for everyone;
 * users, device and gateway credentials and the audit log for the admin. Errors carry the HTTP
 * status (0: the service was not reached) and the service's `error` code.
 */
import type { AuditRecord, CredentialInfo, IssuedCredentials, Role, UserInfo } from '../../contracts';
import { saveBlob } from '../history/api';

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

async function call<T>(token: string, path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new AdminApiError(0, 'network', (e as Error).message);
  }
  if (!res.ok) {
    let err = { error: 'http', message: `HTTP ${res.status}` };
    try {
      err = { ...err, ...((await res.json()) as typeof err) };
    } catch {
      // not JSON: the status says enough
    }
    throw new AdminApiError(res.status, err.error, err.message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Ends the session on the service (its MQTT connections close too); a failure is no reason to stay logged in. */
export async function logout(token: string): Promise<void> {
  await call(token, '/api/logout', 'POST', {}).catch(() => undefined);
}

export function changeOwnPassword(token: string, current: string, next: string): Promise<void> {
  return call(token, '/api/me/password', 'POST', { current, next });
}

export function listUsers(token: string): Promise<UserInfo[]> {
  return call(token, '/api/users');
}

export function createUser(token: string, user: { username: string; role: Role; password: string }): Promise<UserInfo> {
  return call(token, '/api/users', 'POST', user);
}

export function updateUser(token: string, username: string, patch: { role?: Role; disabled?: boolean; password?: string }): Promise<UserInfo> {
  return call(token, `/api/users/${encodeURIComponent(username)}`, 'PATCH', patch);
}

export function listCredentials(token: string): Promise<CredentialInfo[]> {
  return call(token, '/api/credentials');
}

export function issueDeviceCredentials(token: string, deviceId: string): Promise<IssuedCredentials> {
  return call(token, `/api/devices/${encodeURIComponent(deviceId)}/credentials`, 'POST', {});
}

export function createGateway(token: string, id: string, siteIds: string[]): Promise<IssuedCredentials> {
  return call(token, '/api/gateways', 'POST', { id, siteIds });
}

export interface AuditFilters {
  /** `YYYY-MM-DDTHH:mm` from a datetime-local input, local time; '' for none. */
  from: string;
  to: string;
  user: string;
  action: string;
}

function auditQuery(f: AuditFilters): string {
  const qs = new URLSearchParams();
  if (f.from) qs.set('from', String(new Date(f.from).getTime()));
  if (f.to) qs.set('to', String(new Date(f.to).getTime()));
  if (f.user.trim()) qs.set('user', f.user.trim());
  if (f.action) qs.set('action', f.action);
  return qs.toString();
}

export function fetchAudit(token: string, f: AuditFilters): Promise<AuditRecord[]> {
  return call(token, `/api/audit?${auditQuery(f)}&limit=500`);
}

/** Downloads the filtered audit log as CSV under the service's file name. */
export async function downloadAuditCsv(token: string, f: AuditFilters): Promise<void> {
  const res = await fetch(`/api/audit.csv?${auditQuery(f)}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new AdminApiError(res.status, 'http', `HTTP ${res.status}`);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'citytwin-audit.csv';
  saveBlob(await res.blob(), name);
}
