/** The shared tools' panels over the globe: alarm history drawer, measurement panel, and the critical-alarm watcher. */
import { MeasurePanel } from '../measure/MeasurePanel';
import { CriticalAlerts } from './CriticalAlerts';
import { HistoryDrawer } from './HistoryDrawer';

export function ToolPanels() {
  return (
    <>
      <HistoryDrawer />
      <MeasurePanel />
      <CriticalAlerts />
    </>
  );
}
