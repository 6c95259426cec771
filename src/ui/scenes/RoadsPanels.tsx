/** The roads scene's own panels, shown while its view is open (see ../ScenePanels.tsx). */
export function RoadsPanels() {
  return null;
}
