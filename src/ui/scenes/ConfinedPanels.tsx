/** The confined scene's own panels, shown while its view is open (see ../ScenePanels.tsx). */
export function ConfinedPanels() {
  return null;
}
