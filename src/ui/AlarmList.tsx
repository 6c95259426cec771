/**
 * The alarm centre of the current view (every scene in the overview): counts per severity, a flood
 * warning, acknowledge-all for the operator's own unacknowledged alarms, and the open alarms worst
 * first, newest first within a severity; a long list draws only the rows in view (VirtualList.tsx).
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { SEVERITIES, isUnacked, roleOwnsScene, type AlarmRecord } from '../contracts';
import { isFlood } from '../domain';
import { alarmsInView, severityCounts } from '../state';
import { twin, useNow, useTwin } from '../state/react';
import { replay } from '../state/replay';
import { ackAlarms } from './ackAlarm';
import { AlarmRow } from './AlarmRow';
import { VirtualList } from './VirtualList';

/** An alarm row's usual height (two lines of text and the action row), px. */
const ALARM_ROW_PX = 96;
const alarmKey = (a: AlarmRecord) => a.id;
const alarmRow = (a: AlarmRecord) => <AlarmRow key={a.id} alarm={a} />;

export function AlarmList() {
  const { t } = useTranslation();
  const view = useTwin((s) => s.view);
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  // `alarms` is mutated in place: its version counter says when to re-derive.
  const list = useMemo(() => alarmsInView(twin.getState().alarms, view), [alarmsVersion, view]);
  const counts = useMemo(() => severityCounts(list), [list]);
  const now = useNow(5000);
  const role = useTwin((s) => s.auth?.role ?? null);
  const replaying = useStore(replay, (s) => s.mode === 'replay');
  const [busy, setBusy] = useState(false);
  // What this operator may acknowledge in one go: the unacknowledged alarms of the scenes they own.
  const mine = replaying || role === null ? [] : list.filter((a) => isUnacked(a) && roleOwnsScene(role, a.scene)).map((a) => a.id);
  const flooded = isFlood(
    list.map((a) => a.raisedAt),
    now,
  );

  return (
    <section className="panel alarm-panel" data-testid="alarm-list" aria-label={t('alarms.title')}>
      <header className="panel-head">
        <h2>
          {t('alarms.title')}
          <span className="panel-sub">{t(`view.${view}`)}</span>
        </h2>
        <div className="sev-counts">
          {SEVERITIES.map((s) => (
            <span key={s} className={`sev-count sev-${s}${counts[s] === 0 ? ' zero' : ''}`} data-testid={`alarm-count-${s}`}>
              <b>{counts[s]}</b>
              {t(`sev.${s}`)}
            </span>
          ))}
        </div>
      </header>
      {mine.length > 1 && (
        <button
          type="button"
          className="ack ack-all"
          data-testid="alarm-ack-all"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await ackAlarms(mine);
            setBusy(false);
          }}
        >
          {t('alarms.ackAll', { n: mine.length })}
        </button>
      )}
      {flooded && (
        <div className="flood" data-testid="alarm-flood" role="alert">
          {t('alarms.flood', { n: list.length })}
        </div>
      )}
      {list.length === 0 ? (
        <div className="empty" data-testid="alarm-empty">
          {t('alarms.empty')}
        </div>
      ) : (
        <VirtualList ordered className="alarm-rows" testId="alarm-rows" items={list} keyOf={alarmKey} estimatePx={ALARM_ROW_PX} render={alarmRow} />
      )}
    </section>
  );
}
