/** Strings of the confined scene's panels, merged into the translation under `confinedUi`. */
export const confinedUi = {
  en: {},
  zh: {},
};
