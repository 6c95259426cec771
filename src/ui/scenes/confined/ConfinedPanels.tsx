/**
 * The confined scene's own panels, shown while its view is open (see ../ScenePanels.tsx): the
 * inspector's view — every space across plants, worst first, filterable by plant, each with its
 * status, head count, permit and gas grid; the selected space's detail; who is inside each space
 * (the roster); the evacuate siren; and the three.js space view beside the globe.
 *
 * In replay all of it shows the replayed instant: the list is `/api/spaces?at=` (the session's
 * resource, src/state/confined.ts), ages are judged by the display clock, and a note says which instant.
 */
import { Suspense, lazy, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { SpaceSummary } from '../../../contracts';
import { confined, spaces as spacesResource } from '../../../state/confined';
import { twin, useResource, useTwin } from '../../../state/react';
import { useClock } from './useClock';
import { clockTime, nameOf } from '../../format';
import { useGlobe } from '../../globe';
import { VirtualList } from '../../VirtualList';
import { EvacuateAlarm } from './EvacuateAlarm';
import { Roster } from './Roster';
import { SpaceDetail } from './SpaceDetail';
import { SpaceRow } from './SpaceRow';
import './confined.css';

// three.js only with the space view, fetched when a space is first selected.
const SpaceViewPanel = lazy(async () => ({ default: (await import('./SpaceViewPanel')).SpaceViewPanel }));

const NONE: SpaceSummary[] = [];
/** A space row's usual height (head, permit line, three-level gas grid), px. */
const SPACE_ROW_PX = 120;
const spaceKey = (s: SpaceSummary) => s.id;

export function ConfinedPanels() {
  const { t } = useTranslation();
  const globe = useGlobe();
  const lang = useTwin((s) => s.lang);
  const sites = useTwin((s) => s.sites);
  const selectedSiteId = useTwin((s) => s.selectedSiteId);
  const spaces = useResource(spacesResource, (s) => s.data ?? NONE);
  const version = useResource(spacesResource, (s) => s.version);
  const shownAt = useResource(spacesResource, (s) => s.shownAt);
  const plantFilter = useStore(confined, (s) => s.plantFilter);
  const now = useClock(2000);

  const plants = useMemo(() => {
    const ids = [...new Set(spaces.map((s) => s.plantId).filter((x): x is string => x !== null))].sort();
    return ids.map((id) => ({ id, site: sites.get(id) }));
  }, [spaces, sites]);
  const shown = plantFilter ? spaces.filter((s) => s.plantId === plantFilter) : spaces;
  const insideTotal = shown.reduce((n, s) => n + s.inside.length, 0);
  const selected = spaces.find((s) => s.id === selectedSiteId) ?? null;

  const select = (id: string) => {
    twin.getState().select({ siteId: id, deviceId: null });
    globe?.flyToSite(id);
  };

  return (
    <>
      <aside className="panel confined-panel" data-testid="confined-panel" data-version={version} data-shown-at={shownAt ?? 'live'}>
        <div className="panel-head">
          <h2>
            {t('confinedUi.title')}
            <span className="panel-sub">{t('confinedUi.spaces', { count: shown.length })} · {t('confinedUi.peopleInside', { count: insideTotal })}</span>
          </h2>
          <select
            className="plant-filter"
            data-testid="plant-filter"
            value={plantFilter ?? ''}
            onChange={(e) => confined.getState().setPlantFilter(e.target.value || null)}
          >
            <option value="">{t('confinedUi.allPlants')}</option>
            {plants.map((p) => (
              <option key={p.id} value={p.id}>
                {nameOf(p.site, lang) || p.id}
              </option>
            ))}
          </select>
        </div>
        {shownAt !== null && (
          <p className="replay-note" data-testid="confined-replay-at" role="note">
            {t('confinedUi.replayAt', { time: clockTime(shownAt) })}
          </p>
        )}
        <EvacuateAlarm />
        {selected && <SpaceDetail space={selected} />}
        {/* A selected space lists its own people (with time inside); the roster gives the list its room back. */}
        {!selected && <Roster spaces={shown} nowMs={now} replayAt={shownAt} onSelect={select} />}
        {version === 0 ? (
          <div className="empty muted">{t('confinedUi.loading')}</div>
        ) : shown.length === 0 ? (
          <div className="empty muted">{t('confinedUi.empty')}</div>
        ) : (
          <VirtualList
            className="space-rows"
            testId="space-list"
            items={shown}
            keyOf={spaceKey}
            estimatePx={SPACE_ROW_PX}
            render={(s) => <SpaceRow key={s.id} space={s} selected={s.id === selectedSiteId} nowMs={now} onSelect={select} />}
          />
        )}
      </aside>
      {selected && (
        <Suspense fallback={null}>
          <SpaceViewPanel key={selected.id} space={selected} />
        </Suspense>
      )}
    </>
  );
}
