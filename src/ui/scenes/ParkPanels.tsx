/** The park scene's own panels, shown while its view is open (see ../ScenePanels.tsx). */
export function ParkPanels() {
  return null;
}
