/**
 * The park manager's alarm centre: open park alarms grouped by enterprise (a tank's alarm under the
 * enterprise owning its farm; a boundary station's under the station), each with severity, age and
 * state, acknowledge and shelve. In an alarm flood (more than 10 new alarms in 10 minutes, EEMUA 191
 * / ISA-18.2, domain `isFlood`) groups fold to one line each with their counts, so the manager sees
 * where the alarms come from instead of a wall of rows. Clicking an alarm flies to its source and
 * opens the cameras that see it.
 */
import { memo, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, isUnacked, type AlarmRecord } from '../../../contracts';
import { isFlood, shelveRefusal, FLOOD_WINDOW_MS } from '../../../domain';
import { severityCounts } from '../../../state';
import { twin, useNow, useTwin } from '../../../state/react';
import { formatAge, nameOf, ruleTitle } from '../../format';
import { useAlarmRow } from '../../useAlarmRow';
import { shelveAlarm } from './actions';
import { groupParkAlarms, type AlarmGroup } from './grouping';

export function AlarmCentre() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const sites = useTwin((s) => s.sites);
  const devices = useTwin((s) => s.devices);
  const now = useNow(5000);
  // `alarms` is mutated in place: its version counter says when to regroup.
  const groups = useMemo(() => groupParkAlarms(twin.getState().alarms.values(), sites, devices), [alarmsVersion, sites, devices]);
  const all = useMemo(() => groups.flatMap((g) => g.alarms), [groups]);
  const recent = all.filter((a) => a.raisedAt > now - FLOOD_WINDOW_MS).length;
  const flooded = isFlood(all.map((a) => a.raisedAt), now);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="park-card" data-testid="park-alarm-centre" data-flood={flooded ? 'true' : 'false'}>
      <h3 className="park-card-title">
        {t('parkUi.alarms.title')}
        <span className="park-card-count">{all.length}</span>
      </h3>
      {flooded && (
        <div className="flood park-flood" role="alert" data-testid="park-alarm-flood">
          <b>{t('parkUi.alarms.floodTitle', { n: recent })}</b>
          <div>{t('parkUi.alarms.floodHint')}</div>
        </div>
      )}
      {groups.length === 0 ? (
        <div className="park-empty">{t('parkUi.alarms.empty')}</div>
      ) : (
        <ul className="park-groups">
          {groups.map((g) => (
            // A group with a critical alarm never folds: its value and its buttons stay in sight.
            <Group key={g.siteId} group={g} lang={lang} folded={flooded && !open.has(g.siteId) && !hasCritical(g)} onToggle={() => toggle(g.siteId)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Group({ group: g, lang, folded, onToggle }: { group: AlarmGroup; lang: 'zh' | 'en'; folded: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const counts = severityCounts(g.alarms);
  const name = nameOf(g.site, lang) || t('parkUi.alarms.otherGroup');
  return (
    <li className={`park-group sev-${g.alarms[0].severity}`} data-testid="park-alarm-group" data-site-id={g.siteId} data-count={g.alarms.length}>
      <button type="button" className="park-group-head" onClick={onToggle} aria-expanded={!folded}>
        <span className="sev-bar" aria-hidden />
        <span className="park-group-name">{name}</span>
        <span className="park-group-counts">
          {SEVERITIES.filter((s) => counts[s] > 0).map((s) => (
            <span key={s} className={`mini-count sev-${s}`}>
              {counts[s]}
            </span>
          ))}
        </span>
      </button>
      {!folded && (
        <ol className="park-alarm-rows">
          {g.alarms.map((a) => (
            <ParkAlarmRow key={a.id} alarm={a} />
          ))}
        </ol>
      )}
    </li>
  );
}

const ParkAlarmRow = memo(function ParkAlarmRow({ alarm: a }: { alarm: AlarmRecord }) {
  const { t, lang, say, device, site, now, busy, allowed: owns, why, text, threshold, vs, liveNow, focus, ack } = useAlarmRow(a);
  const [shelving, setShelving] = useState(false);
  // The service refuses (409) to shelve a life-safety alarm: the button is not offered for one.
  // A park alarm has no confined space, so no people or permit weigh in.
  const refusal = shelveRefusal(a, 'judged before the reason is typed', { peopleInside: 0, permitOpen: false });
  const notShelvable = refusal?.error === 'not_shelvable' && refusal.why !== 'closed' ? refusal.why : null;

  return (
    <li
      className={`park-alarm sev-${a.severity} state-${a.state}`}
      data-testid="park-alarm-row"
      data-alarm-id={a.id}
      data-device-id={a.deviceId ?? ''}
      data-state={a.state}
      data-severity={a.severity}
      title={text || undefined}
      tabIndex={0}
      onClick={focus}
      onKeyDown={(e) => (e.key === 'Enter' && e.target === e.currentTarget ? focus() : undefined)}
    >
      <div className="park-alarm-line">
        <span className={`sev-chip sev-${a.severity}`}>{t(`sev.${a.severity}`)}</span>
        <span className="park-alarm-title">{ruleTitle(a.rule, t)}</span>
        <span className="alarm-age">{formatAge(now - a.raisedAt, t)}</span>
      </div>
      <div className="park-alarm-where">
        {nameOf(device, lang) || nameOf(site, lang) || a.deviceId || a.siteId}
        {vs && <span className="park-alarm-value"> · {vs}</span>}
        {liveNow && <span className="alarm-live" data-testid="alarm-live"> · {liveNow}</span>}
      </div>
      {text && !threshold && <div className="park-alarm-msg">{text}</div>}
      <div className="park-alarm-foot">
        <span className={`alarm-state state-${a.state}`}>{t(`alarmState.${a.state}`)}</span>
        {a.state === 'shelved' && a.shelvedUntil && (
          <span className="muted">{t('parkUi.alarms.shelvedUntil', { time: say.time(a.shelvedUntil) })}</span>
        )}
        <span className="park-actions">
          {isUnacked(a) && (
            <button type="button" className="ack" data-testid="alarm-ack" disabled={!owns || busy} title={why} onClick={ack}>
              {busy ? t('alarms.acking') : t('alarms.ack')}
            </button>
          )}
          {a.state !== 'shelved' && notShelvable === null && (
            <button
              type="button"
              className="ghost small"
              data-testid="alarm-shelve"
              disabled={!owns}
              title={why}
              onClick={(e) => {
                e.stopPropagation();
                setShelving((v) => !v);
              }}
            >
              {t('parkUi.alarms.shelve')}
            </button>
          )}
        </span>
      </div>
      {!owns && isUnacked(a) && <div className="muted why">{why}</div>}
      {owns && notShelvable !== null && (
        <div className="muted why" data-testid="alarm-not-shelvable">
          {t(`parkUi.alarms.notShelvable.${notShelvable}`)}
        </div>
      )}
      {shelving && owns && <ShelveForm alarmId={a.id} onDone={() => setShelving(false)} />}
    </li>
  );
});

/** Minutes and a reason (both required by the service: ISA-18.2 asks why an alarm is hidden). */
function ShelveForm({ alarmId, onDone }: { alarmId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(60);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    const ok = await shelveAlarm(alarmId, minutes, reason.trim());
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <form className="shelve-form" data-testid="shelve-form" onSubmit={submit} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
      <label>
        {t('parkUi.alarms.minutes')}
        <select data-testid="shelve-minutes" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {[15, 30, 60, 120, 240, 480].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label className="shelve-reason">
        {t('parkUi.alarms.reason')}
        <input
          data-testid="shelve-reason"
          value={reason}
          maxLength={500}
          required
          placeholder={t('parkUi.alarms.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="shelve-buttons">
        <button type="submit" className="ack" data-testid="shelve-submit" disabled={busy || !reason.trim()}>
          {t('parkUi.alarms.shelveSubmit')}
        </button>
        <button type="button" className="ghost small" onClick={onDone}>
          {t('parkUi.alarms.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Whether a group holds a critical alarm that is not shelved. */
export function hasCritical(g: AlarmGroup): boolean {
  return g.alarms.some((a) => a.severity === 'critical' && a.state !== 'shelved');
}
