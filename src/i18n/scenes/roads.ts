/** Strings of the roads scene's panels, merged into the translation under `roadsUi`. */
export const roadsUi = {
  en: {},
  zh: {},
};
