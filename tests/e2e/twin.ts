/**
 * The real twin service for end-to-end tests: started in this process on free ports, with a fresh
 * SQLite file in a temporary DATA_DIR, serving the built app (dist/, made by scripts/prepare.ts
 * before the tests run). No simulator: the tests publish what they want to see.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/server/config';
import { startService } from '../../src/server/app';

export interface Twin {
  url: string;
  mqttUrl: string;
  demoPassword: string;
  devicePassword: string;
  dataDir: string;
  /** GET an API path as the admin; returns the parsed JSON body. */
  api(path: string): Promise<unknown>;
  /** POST an API path as the admin (JSON body, if any); returns the HTTP status. */
  post(path: string, body?: unknown): Promise<number>;
  close(): Promise<void>;
}

export async function startTwin(env: Record<string, string> = {}): Promise<Twin> {
  const dataDir = mkdtempSync(join(tmpdir(), 'citytwin-e2e-'));
  // VIDEO=0: no demo camera streams unless a suite asks for them (ffmpeg would cost the browser CPU).
  const cfg = loadConfig({ PORT: '0', MQTT_PORT: '0', DATA_DIR: dataDir, SIMULATE: '0', VIDEO: '0', ...env });
  const service = await startService(cfg);
  const url = `http://127.0.0.1:${service.port}`;
  let token: string | null = null;
  const adminToken = async (): Promise<string> => {
    if (!token) {
      const r = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: cfg.demoPassword }),
      });
      token = ((await r.json()) as { token: string }).token;
    }
    return token;
  };
  const api = async (path: string): Promise<unknown> => {
    const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${await adminToken()}` } });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    url,
    mqttUrl: `mqtt://127.0.0.1:${service.mqttPort}`,
    demoPassword: cfg.demoPassword,
    devicePassword: cfg.devicePassword ?? '',
    dataDir,
    api,
    post: async (path, body) => {
      const headers: Record<string, string> = { authorization: `Bearer ${await adminToken()}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(`${url}${path}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
      await r.arrayBuffer();
      return r.status;
    },
    close: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
