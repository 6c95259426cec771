/**
 * Alarm history: every transition of an alarm with who and why, a searchable history of alarm
 * records including closed ones, its CSV export, and all of it across a restart. The history is
 * made once (beforeAll); each test reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmTopic, deviceTopic, liveTopic, parseAlarmRecord } from '../../src/contracts';
import { CSV_COLUMNS } from '../../src/server/api/history';
import type { Service } from '../../src/server/app';
import { api, browserClient, deviceClient, login, publish, record, removeDir, startTestService, tempDataDir, waitFor, waitForAlarm } from './helpers';

const dataDir = tempDataDir();
let svc: Service | undefined;

afterAll(async () => {
  await svc?.close();
  removeDir(dataDir);
});

const ACK_COMMENT = '已通知现场 "撤离", ok';
const SHELVE_REASON = '校准, "CO" 传感器';

/** A small RFC 4180 reader: enough to check that what the export wrote reads back field for field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('alarm history', () => {
  let closedId = '';
  let shelvedId = '';
  let shelvedUntil = 0;

  // An H₂S alarm raised, acknowledged with a comment and closed; a major CO alarm shelved with a
  // reason (a critical one may not be shelved).
  beforeAll(async () => {
    svc = await startTestService(dataDir);
    const token = await login(svc, 'inspector');
    const device = await deviceClient(svc);
    const t = Date.now();
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: t, values: { h2s_ppm: 30 } });
    closedId = (await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high')).id;
    expect((await api(svc, `/api/alarms/${closedId}/ack`, { token, body: { comment: ACK_COMMENT } })).status).toBe(200);
    await publish(device, deviceTopic('confined', 't-gas-lower', 'telemetry'), { ts: t + 1, values: { h2s_ppm: 0.1 } });
    await waitForAlarm(svc, token, 't-gas-lower', 'h2s_ppm_high', (a) => a.id === closedId && a.state === 'closed');
    await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: t, values: { co_ppm: 20 } });
    shelvedId = (await waitForAlarm(svc, token, 't-gas-upper', 'co_ppm_high')).id;
    const shelved = await api(svc, `/api/alarms/${shelvedId}/shelve`, { token, body: { minutes: 30, reason: SHELVE_REASON } });
    expect(shelved.status).toBe(200);
    shelvedUntil = shelved.body.shelvedUntil;
    device.end(true);
  });

  it('lists every transition of an alarm in order, with user and comment', async () => {
    const token = await login(svc!, 'inspector');
    const events = await api(svc!, `/api/alarms/${closedId}/events`, { token });
    expect(events.status).toBe(200);
    expect(events.body.map((e: any) => e.action)).toEqual(['raised', 'acknowledged', 'cleared', 'closed']);
    expect(events.body[0]).toMatchObject({ user: null, state: 'active_unack', severity: 'critical' });
    expect(events.body[1]).toMatchObject({ user: 'inspector', comment: ACK_COMMENT, state: 'active_ack' });
    expect(events.body[3]).toMatchObject({ state: 'closed', ts: events.body[2].ts });
    const ts = events.body.map((e: any) => e.ts);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);

    // Shelved: the reason and the expiry.
    const coEvents = await api(svc!, `/api/alarms/${shelvedId}/events`, { token });
    expect(coEvents.body.map((e: any) => e.action)).toEqual(['raised', 'shelved']);
    expect(coEvents.body[1]).toMatchObject({ user: 'inspector', comment: SHELVE_REASON, state: 'shelved', shelvedUntil });
    expect(shelvedUntil - coEvents.body[1].ts).toBe(30 * 60_000);

    expect((await api(svc!, '/api/alarms/nope-x-1/events', { token })).status).toBe(404);
    expect((await api(svc!, `/api/alarms/${closedId}/events`)).status).toBe(401);
  });

  it('searches the history by text, state, severity, scene and time, closed alarms included', async () => {
    const token = await login(svc!, 'traffic'); // every role may read every scene
    const ids = async (query: string) => {
      const r = await api(svc!, `/api/alarms/history?${query}`, { token });
      expect(r.status).toBe(200);
      return r.body.map((a: any) => a.id);
    };
    expect(await ids('')).toEqual([shelvedId, closedId]); // newest first
    expect(await ids('q=t-gas-lower')).toEqual([closedId]); // device id
    expect(await ids('q=H2S_PPM')).toEqual([closedId]); // rule, any case
    expect(await ids('q=co_ppm%2020')).toEqual([shelvedId]); // message text
    expect(await ids('q=%25')).toEqual([]); // % is a character, not a wildcard
    expect(await ids('state=closed')).toEqual([closedId]);
    expect(await ids('state=open')).toEqual([shelvedId]);
    expect(await ids('state=shelved,closed&scene=confined')).toEqual(expect.arrayContaining([shelvedId, closedId]));
    expect(await ids('severity=major')).toEqual([shelvedId]);
    expect(await ids('severity=minor,warning')).toEqual([]);
    expect(await ids('scene=roads')).toEqual([]);
    expect(await ids('limit=1')).toHaveLength(1);
    // Before anything was raised: nothing; a window now: both (one still open, one closed since).
    expect(await ids(`to=${Date.now() - 3_600_000}`)).toEqual([]);
    expect(await ids(`from=${new Date(Date.now() - 60_000).toISOString()}&to=${Date.now()}`)).toHaveLength(2);
    expect((await api(svc!, '/api/alarms/history?state=burning', { token })).status).toBe(400);
    expect((await api(svc!, '/api/alarms/history')).status).toBe(401);
  });

  it('exports the history as CSV: BOM, header, RFC 4180 quoting, an attachment', async () => {
    const token = await login(svc!, 'inspector');
    const res = await fetch(`${svc!.url}/api/alarms/history.csv?scene=confined`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="citytwin-alarms-confined-\d{8}-\d{4}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text).toContain(`"${SHELVE_REASON.replace(/"/g, '""')}"`);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    const shelvedRow = rows.find((r) => r[col('id')] === shelvedId)!;
    expect(shelvedRow[col('shelveReason')]).toBe(SHELVE_REASON);
    expect(shelvedRow[col('state')]).toBe('shelved');
    expect(shelvedRow[col('shelvedUntil')]).toBe(new Date(shelvedUntil).toISOString());
    const closedRow = rows.find((r) => r[col('id')] === closedId)!;
    expect(closedRow[col('ackedBy')]).toBe('inspector');
    expect(closedRow[col('value')]).toBe('30');

    const none = await fetch(`${svc!.url}/api/alarms/history.csv?q=nothing-matches`, { headers: { authorization: `Bearer ${token}` } });
    expect(parseCsv((await none.text()).replace(/^\uFEFF/, ''))).toEqual([[...CSV_COLUMNS]]);
    expect((await fetch(`${svc!.url}/api/alarms/history.csv`)).status).toBe(401);
  });

  it('keeps the history, the open alarms and their retained records consistent across a restart', async () => {
    await svc!.close();
    svc = await startTestService(dataDir);
    const token = await login(svc, 'inspector');
    const events = await api(svc, `/api/alarms/${closedId}/events`, { token });
    expect(events.body.map((e: any) => e.action)).toEqual(['raised', 'acknowledged', 'cleared', 'closed']);
    expect(events.body[1].comment).toBe(ACK_COMMENT);

    const open = await api(svc, '/api/alarms?scene=confined', { token });
    const shelved = open.body.find((a: any) => a.id === shelvedId);
    expect(shelved).toMatchObject({ state: 'shelved', shelvedUntil, shelveReason: SHELVE_REASON });
    expect(open.body.find((a: any) => a.id === closedId)).toBeUndefined();

    // The retained record a browser gets is the record the API serves, not an older one.
    const browser = await browserClient(svc, token);
    const seen = record(browser);
    await browser.subscribeAsync('citytwin/v1/alarms/#');
    const msg = await waitFor('the retained shelved alarm', () => seen.find((m) => m.topic === alarmTopic(shelvedId)));
    expect(msg.retain).toBe(true);
    // The list adds whether each alarm may be shelved now; the record itself is the same.
    const { shelvable, notShelvable, ...served } = shelved;
    expect({ shelvable, notShelvable }).toEqual({ shelvable: true, notShelvable: null });
    expect(parseAlarmRecord(JSON.parse(msg.text))).toEqual(served);
    // Retained records are sent on subscribe, before anything published later: once a live batch
    // sent after it is here, every retained record has come, and the closed alarm's is not among them.
    await browser.subscribeAsync(liveTopic('confined'));
    const device = await deviceClient(svc);
    await publish(device, deviceTopic('confined', 't-gas-upper', 'telemetry'), { ts: Date.now(), values: { co_ppm: 20 } });
    await waitFor('a live batch on the same connection', () => seen.find((m) => m.topic === liveTopic('confined') && m.text.includes('t-gas-upper')));
    expect(seen.filter((m) => m.topic === alarmTopic(closedId) && m.text !== '')).toEqual([]);
    device.end(true);
    browser.end(true);
  });
});
