/**
 * The selected space: the chain ventilate → test → permit → attendant → entry, why it must be
 * evacuated (if so), a 30-minute sparkline per channel at the
 * three levels, the permit (workers, attendant, permitted head count, gas test time and result)
 * and who is inside since when. In replay all of it is the replayed instant's (the space
 * comes from `/api/spaces?at=`, ages are judged by the display clock) and the titles say so.
 */
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { SpaceSummary } from '../../../contracts';
import { limitsFor } from '../../../domain';
import { clockIsReplay } from '../../../state/clock';
import { twin, useSay, useTwin } from '../../../state/react';
import { useClock } from './useClock';
import { clockTime as time, formatAge, nameOf } from '../../format';
import { GAS_CHANNELS, detectorsByLevel, reasonLines } from '../../../view';
import { EntryChain } from './EntryChain';
import { insideFor, overLimit } from './Roster';

// uPlot on demand: fetched with the first space's detail.
const Sparkline = lazy(async () => ({ default: (await import('./Sparkline')).Sparkline }));

export function SpaceDetail({ space: s }: { space: SpaceSummary }) {
  const { t } = useTranslation();
  const lang = useTwin((st) => st.lang);
  const now = useClock(5000);
  const byLevel = detectorsByLevel(s);
  const anyDetector = s.detectors[0] ? twin.getState().devices.get(s.detectors[0].id) : undefined;
  const limits = anyDetector ? limitsFor(anyDetector) : {};
  const test = s.lastGasTest;
  const say = useSay();
  const reasons = reasonLines(s, say);
  // `now` changes with the replayed instant, so this re-reads on each new instant.
  const replayAt = clockIsReplay() ? now : null;

  return (
    <section className={`space-detail status-${s.status}`} data-testid="space-detail" data-space-id={s.id}>
      <header className="space-detail-head">
        <div>
          <h3>{nameOf(s, lang)}</h3>
          <span className="muted">
            {s.depthM !== null ? t('confinedUi.detail.depth', { m: s.depthM }) : ''}
          </span>
        </div>
        <button type="button" className="ghost" onClick={() => twin.getState().select({ siteId: null, deviceId: null })}>
          {t('confinedUi.detail.close')}
        </button>
      </header>

      <div className="detail-block">
        <h4>{t('confinedUi.chain.title')}</h4>
        <EntryChain chain={s.chain ?? []} />
      </div>

      {reasons.length > 0 && (
        <div className="space-reasons">
          <b>{t('confinedUi.detail.reasons')}</b>
          <ul>
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="detail-block">
        <h4>
          {replayAt === null ? t('confinedUi.detail.insideTitle') : t('confinedUi.detail.insideAt', { time: time(replayAt) })}{' '}
          <b className="big-count">{s.inside.length}</b>
        </h4>
        {s.inside.length > 0 && (
          <ul className="people" data-testid="space-people">
            {s.inside.map((p) => (
              <li key={p} className={overLimit(s, p, now) ? 'over' : undefined} data-person-id={p}>
                <b title={p}>{say.person(p)}</b>{' '}
                {s.enteredAt[p] !== undefined && (
                  <span className="muted">
                    {t('confinedUi.detail.since', { time: time(s.enteredAt[p]) })} · {t('confinedUi.detail.insideFor', { d: insideFor(now - s.enteredAt[p], t) })}
                  </span>
                )}
                {overLimit(s, p, now) && s.maxInsideMin !== undefined && <span className="over-note"> {t('confinedUi.detail.overLimit', { limit: s.maxInsideMin })}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="detail-block">
        <h4>{t('confinedUi.detail.permitTitle')}</h4>
        {s.permit ? (
          <dl className="permit-dl">
            <dt>{t('confinedUi.detail.permitId', { id: '' }).trim()}</dt>
            <dd>
              {s.permit.permitId}
              {s.permit.suspended && <span className="permit permit-suspended">{t('confinedUi.permit.suspended')}</span>}
            </dd>
            <dt>{t('confinedUi.detail.workers')}</dt>
            <dd>{say.list(s.permit.workers.map((w) => say.person(w)))}</dd>
            <dt>{t('confinedUi.detail.attendant')}</dt>
            <dd>{say.person(s.permit.attendant)}</dd>
            <dt>{t('confinedUi.detail.maxPersons')}</dt>
            <dd>{s.permit.maxPersons}</dd>
          </dl>
        ) : (
          <span className="permit permit-none">{t('confinedUi.permit.none')}</span>
        )}
        <div className="gas-test">
          {t('confinedUi.detail.gasTest')}:{' '}
          {test ? (
            <>
              <b className={test.pass ? 'ok' : 'bad'}>{test.pass ? t('confinedUi.detail.gasPass') : t('confinedUi.detail.gasFail')}</b>{' '}
              <span className="muted">
                {time(test.ts)} ({formatAge(now - test.ts, t)})
              </span>
            </>
          ) : (
            <span className="muted">{t('confinedUi.detail.gasNone')}</span>
          )}
        </div>
      </div>

      <div className="detail-block">
        <h4>
          {replayAt === null ? t('confinedUi.detail.trends') : t('confinedUi.detail.trendsTo', { time: time(replayAt) })}{' '}
          <span className="legend-levels">
            <i className="lv-upper" />
            {t('confinedUi.level.upper')} <i className="lv-middle" />
            {t('confinedUi.level.middle')} <i className="lv-lower" />
            {t('confinedUi.level.lower')}
          </span>
        </h4>
        <div className="sparks">
          <Suspense fallback={null}>
            {GAS_CHANNELS.map((q) => {
              const l = limits[q];
              const threshold = q === 'o2_pct' ? (l?.low ?? null) : (l?.high ?? null);
              return <Sparkline key={q} quantity={q} label={t(`confinedUi.qShort.${q}`)} detectors={byLevel} thresholdValue={threshold} />;
            })}
          </Suspense>
        </div>
      </div>
    </section>
  );
}
