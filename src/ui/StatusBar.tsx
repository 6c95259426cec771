/**
 * Bottom line: what the service accepted and rejected (from /api/health, every 5 s), devices online /
 * stale / offline (every second: staleness moves with the clock; kept by a tally that re-judges only the
 * devices that reported or reached their stale deadline), and what this browser rejected itself.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthResponse } from '../contracts';
import { api } from '../live';
import { LinkTally, type LinkCounts } from '../view';
import { twin, useNow, useTwin } from '../state/react';

/** Health poll period, ms. */
const HEALTH_POLL_MS = 5000;

export function StatusBar() {
  const { t } = useTranslation();
  const health = useHealth();
  const now = useNow(1000);
  const browserRejects = useTwin((s) => s.rejectedInBrowser);
  const links = useLinkCounts(now);
  const rejected = health ? Object.values(health.messages.rejected).reduce((a, b) => a + (b ?? 0), 0) : null;
  const reasons = health ? Object.entries(health.messages.rejected).map(([r, n]) => `${r}: ${n}`).join('\n') : '';

  return (
    <footer className="statusbar" data-testid="status-bar">
      {health ? (
        <>
          <span>
            {t('status.accepted')} <b data-testid="status-accepted">{health.messages.accepted}</b>
          </span>
          <span title={reasons}>
            {t('status.rejected')} <b data-testid="status-rejected" className={rejected ? 'warn' : ''}>{rejected}</b>
          </span>
        </>
      ) : (
        <span className="warn">{t('status.healthDown')}</span>
      )}
      <span className="sep" />
      <span>
        <i className="dot health-normal" /> {t('status.online')} <b data-testid="status-online">{links.online}</b>
      </span>
      <span>
        <i className="dot health-stale" /> {t('status.stale')} <b data-testid="status-stale">{links.stale + links.nodata}</b>
      </span>
      <span>
        <i className="dot health-offline" /> {t('status.offline')} <b data-testid="status-offline">{links.offline}</b>
      </span>
      <span className="sep" />
      <span>
        {t('status.browserRejects')} <b data-testid="status-browser-rejects" className={browserRejects ? 'warn' : ''}>{browserRejects}</b>
      </span>
    </footer>
  );
}

/** Devices by link state at `now`, from a tally fed every fold's changed ids. */
function useLinkCounts(now: number): LinkCounts {
  const tally = useMemo(() => new LinkTally(), []);
  useEffect(() => {
    // Folds before this subscription were not seen: the next count judges every device once.
    tally.reset();
    return twin.subscribe((s, prev) => {
      if (s.liveVersion !== prev.liveVersion) tally.touch(s.changedIds);
    });
  }, [tally]);
  const s = twin.getState();
  return tally.count(s.devices, s.live, now);
}

/** /api/health, polled; null while unknown or unreachable. */
function useHealth(): HealthResponse | null {
  const [health, setHealth] = useState<HealthResponse | null>(null);
  useEffect(() => {
    let alive = true;
    const poll = () =>
      api.fetchHealth().then(
        (h) => alive && setHealth(h),
        () => alive && setHealth(null),
      );
    void poll();
    const timer = setInterval(poll, HEALTH_POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  return health;
}
