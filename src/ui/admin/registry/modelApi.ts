/**
 * A site's own model through the service (docs/contract.md "Site models"): upload a GLB or IFC
 * file as it is, change its placement, remove it. Answers carry the outline check.
 */
import type { ModelPlacementPatch, SiteModelAnswer } from '../../../contracts';
import type { Lang } from '../../../state';
import { RegistryApiError } from './api';

async function call<T>(token: string, lang: Lang, siteId: string, init: { method: string; body?: BodyInit; type?: string; query?: string }): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Accept-Language': lang === 'zh' ? 'zh-CN,zh' : 'en' };
  if (init.type) headers['Content-Type'] = init.type;
  let res: Response;
  try {
    res = await fetch(`/api/sites/${encodeURIComponent(siteId)}/model${init.query ?? ''}`, { method: init.method, headers, body: init.body });
  } catch (e) {
    throw new RegistryApiError(0, 'network', (e as Error).message);
  }
  const text = await res.text();
  let body: { error?: string; message?: string } | null = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  if (!res.ok) throw new RegistryApiError(res.status, body?.error ?? 'http', body?.message ?? `HTTP ${res.status}`);
  return body as T;
}

/** Sends the file's bytes; its name goes along only as a label. */
export const uploadModel = (token: string, lang: Lang, siteId: string, file: File) =>
  call<SiteModelAnswer>(token, lang, siteId, { method: 'PUT', body: file, type: 'application/octet-stream', query: `?name=${encodeURIComponent(file.name)}` });

export const placeModel = (token: string, lang: Lang, siteId: string, patch: ModelPlacementPatch) =>
  call<SiteModelAnswer>(token, lang, siteId, { method: 'PATCH', body: JSON.stringify(patch), type: 'application/json' });

export const removeModel = (token: string, lang: Lang, siteId: string) => call<unknown>(token, lang, siteId, { method: 'DELETE' });
