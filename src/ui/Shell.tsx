/**
 * The logged-in screen: the globe fills it, panels float over it (alarms right, device detail
 * left-bottom, legend bottom-right, status bar along the bottom). Mounting starts the session
 * (registry, alarms, live link, every scene's polled data) and binds the view, selection and
 * replayed instant to the address (../state/url.ts); unmounting (logout) stops both.
 */
import { Suspense, lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { startSession } from '../live';
import { twin, type Auth } from '../state';
import { bindUrlState, browserAddressBar } from '../state/url';
import { useTwin } from '../state/react';
import { AlarmList } from './AlarmList';
import { DeviceDetail } from './DeviceDetail';
import { GlobeContext, type AppGlobe } from './globe';
import { GlobeView } from './GlobeView';
import { ToolPanels } from './history/ToolPanels';
import { Legend } from './Legend';
import { ScenePanels } from './ScenePanels';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { ReplayBar } from './replay/ReplayBar';
import { useAdminUi } from './admin/state';
import { VideoDock } from './video/VideoDock';
import { VideoWall } from './video/VideoWall';
import { SCENE_RESOURCES } from './scenes';
import './layout.css';

// The admin pages and the password dialog are fetched when first opened.
const AdminPanels = lazy(async () => ({ default: (await import('./admin/AdminDrawer')).AdminPanels }));

function AdminOnDemand() {
  const open = useAdminUi((s) => s.tab !== null || s.passwordOpen);
  return open ? (
    <Suspense fallback={null}>
      <AdminPanels />
    </Suspense>
  ) : null;
}

export function Shell({ auth }: { auth: Auth }) {
  const { t } = useTranslation();
  const [globe, setGlobe] = useState<AppGlobe | null>(null);
  const loaded = useTwin((s) => s.registryLoaded);
  const view = useTwin((s) => s.view);
  useEffect(() => {
    const stopSession = startSession(twin, auth, { resources: SCENE_RESOURCES });
    // After the session, so that a replayed instant in the address is loaded by its replay loader.
    const unbind = bindUrlState(twin, auth.role, browserAddressBar);
    return () => {
      unbind();
      stopSession();
    };
  }, [auth]);
  // A selection restored from the address: once the globe and the registry are there, go to it.
  useEffect(() => {
    if (!globe || !loaded) return;
    const { selectedDeviceId, selectedSiteId } = twin.getState();
    if (selectedDeviceId) globe.flyToDevice(selectedDeviceId);
    else if (selectedSiteId) globe.flyToSite(selectedSiteId);
  }, [globe, loaded]);

  return (
    <GlobeContext.Provider value={globe}>
      <div className="shell" data-view={view}>
        <GlobeView onGlobe={setGlobe} />
        <TopBar />
        {!loaded && <div className="loading">{t('app.loading')}</div>}
        <ScenePanels />
        <AlarmList />
        <DeviceDetail />
        <VideoWall />
        <VideoDock />
        <Legend />
        <ReplayBar />
        <StatusBar />
        <ToolPanels />
        <AdminOnDemand />
      </div>
    </GlobeContext.Provider>
  );
}
