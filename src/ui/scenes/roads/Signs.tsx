/**
 * The message signs (情报板) the controller must publish now: one sign per text, strictest first
 * (ice closure, then fog < 50 m, < 100 m, < 200 m), with the segments it applies to and what it
 * orders (道路交通安全法实施条例 第八十一条: speed limit and spacing by visibility; ice: closure).
 * The sign text is the Chinese one that goes on the board; the English UI adds a translation.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SegmentControl, SegmentView } from '../../../contracts';
import { signsToPublish } from '../../../domain';
import { segments as segmentsResource } from '../../../state/roads';
import { twin, useResource, useTwin } from '../../../state/react';
import { useGlobe } from '../../globe';

const NO_SEGMENTS: ReadonlyMap<string, SegmentView> = new Map();

export function SignsToPublish() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const segments = useResource(segmentsResource, (s) => s.data ?? NO_SEGMENTS);
  const globe = useGlobe();
  const signs = useMemo(() => {
    const controls = new Map<string, SegmentControl>();
    for (const s of segments.values()) if (s.control) controls.set(s.id, s.control);
    return signsToPublish(controls);
  }, [segments]);
  const nameOf = (id: string) => {
    const seg = segments.get(id);
    return (lang === 'zh' ? seg?.nameZh : seg?.name) || sites.get(id)?.name || id;
  };
  return (
    <section className="roads-sec" data-testid="roads-signs" data-count={signs.length}>
      <h3>{t('roadsUi.signs.title')}</h3>
      {signs.length === 0 && <div className="roads-hint">{t('roadsUi.signs.none')}</div>}
      <ol className="roads-rows">
        {signs.map(({ control: c, segmentIds }) => (
          <li key={c.vmsText} className={`roads-sign sign-${c.action}`} data-testid="roads-sign" data-level={c.level} data-action={c.action}>
            <div className="vms" lang="zh">
              {c.vmsText}
            </div>
            {lang !== 'zh' && <div className="roads-hint">{c.vmsTextEn}</div>}
            <div className="roads-sign-order">
              {c.action === 'close'
                ? t('roadsUi.signs.close')
                : t(c.action === 'exit' ? 'roadsUi.signs.exit' : 'roadsUi.signs.limit', { kmh: c.speedLimitKmh, m: c.spacingM })}
            </div>
            <div className="roads-hint">
              {t('roadsUi.signs.on', { count: segmentIds.length })}{' '}
              {segmentIds.map((id, k) => (
                <span key={id}>
                  {k > 0 && '、'}
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      twin.getState().select({ siteId: id, deviceId: null });
                      globe?.flyToSite(id);
                    }}
                  >
                    {nameOf(id)}
                  </button>
                </span>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
