/**
 * The logged-in screen: the globe fills it, panels float over it (alarms right, device detail
 * left-bottom, legend bottom-right, status bar along the bottom). Mounting starts the session
 * (registry, alarms, live link, every scene's polled data); unmounting (logout) stops it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { startSession } from '../live';
import { twin, type Auth } from '../state';
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
import { AdminPanels } from './admin/AdminDrawer';
import { SCENE_RESOURCES } from './scenes';

export function Shell({ auth }: { auth: Auth }) {
  const { t } = useTranslation();
  const [globe, setGlobe] = useState<AppGlobe | null>(null);
  const loaded = useTwin((s) => s.registryLoaded);
  useEffect(() => startSession(twin, auth, { resources: SCENE_RESOURCES }), [auth]);

  return (
    <GlobeContext.Provider value={globe}>
      <div className="shell">
        <GlobeView onGlobe={setGlobe} />
        <TopBar />
        {!loaded && <div className="loading">{t('app.loading')}</div>}
        <ScenePanels />
        <AlarmList />
        <DeviceDetail />
        <Legend />
        <ReplayBar />
        <StatusBar />
        <ToolPanels />
        <AdminPanels />
      </div>
    </GlobeContext.Provider>
  );
}
