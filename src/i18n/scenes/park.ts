/** Strings of the park scene's panels, merged into the translation under `parkUi`. */
export const parkUi = {
  en: {},
  zh: {},
};
