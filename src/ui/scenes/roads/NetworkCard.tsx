/**
 * The network congestion index, big, with its level word and the last hours as a chart; in replay
 * the index and the hours before the replayed instant, with the instant marked on the chart.
 */
import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { SegmentView } from '../../../contracts';
import { NETWORK_HOURS, network as networkResource, segments as segmentsResource } from '../../../state/roads';
import { useReplayAt, useResource } from '../../../state/react';
import { indexLevel, levelCss } from '../../../view';

const IndexChart = lazy(async () => ({ default: (await import('./IndexChart')).IndexChart }));

const NO_SEGMENTS: ReadonlyMap<string, SegmentView> = new Map();

export function NetworkCard() {
  const { t } = useTranslation();
  const network = useResource(networkResource, (s) => s.data);
  const segments = useResource(segmentsResource, (s) => s.data ?? NO_SEGMENTS);
  const replayAt = useReplayAt();
  const index = network?.index ?? null;
  const level = indexLevel(index);
  const known = [...segments.values()].filter((s) => s.level !== null).length;
  return (
    <section className="roads-sec roads-index" data-testid="roads-index" data-level={level ?? 'unknown'}>
      <h3>
        {t('roadsUi.index')} <span className="roads-hint">{t('roadsUi.indexHint')}</span>
      </h3>
      <div className="roads-index-row">
        <b className="roads-index-num" style={{ color: levelCss(level) }} data-testid="roads-index-value">
          {index === null ? '—' : index.toFixed(1)}
        </b>
        <div>
          <div className="roads-index-word" style={{ color: levelCss(level) }}>
            {level ? t(`roadsUi.level.${level}`) : t('roadsUi.indexUnknown')}
          </div>
          <div className="roads-hint">{t('roadsUi.known', { n: known, total: segments.size })}</div>
        </div>
      </div>
      <div className="roads-hint">{t(replayAt === null ? 'roadsUi.history' : 'roadsUi.historyReplay', { h: NETWORK_HOURS })}</div>
      <Suspense fallback={null}>
        <IndexChart history={network?.history ?? []} cursorAtMs={replayAt} windowMs={NETWORK_HOURS * 3600_000} />
      </Suspense>
    </section>
  );
}
