/**
 * i18next with Chinese and English. The store's `lang` is the source of truth (saved in
 * localStorage by the store); this module follows it, so switching language is `setLang`.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Scene } from '../contracts';
import type { Lang, TwinStore } from '../state';
import { en } from './en';
import { zh } from './zh';
import { adminUi } from './admin';
import { registryUi } from './registry';
import { siteModelUi } from './siteModel';
import { commonUi } from './scenes/common';
import { videoUi } from './scenes/video';

/** A scene's strings in both languages; `scene.name` and `scene.place` name its view. */
export type SceneTranslations = Record<Scene, Record<Lang, { scene: { name: string; place: string } }>>;

/**
 * Core strings, the shared tools' (`commonUi`, `videoUi`, `adminUi`) and each scene's own under
 * `${scene}Ui`, its name and place under `view` / `viewPlace`.
 */
export function translations(scenes: SceneTranslations) {
  const build = (lang: Lang) => {
    const core = lang === 'zh' ? zh : en;
    const list = Object.entries(scenes) as [Scene, SceneTranslations[Scene]][];
    return {
      ...core,
      view: { ...core.view, ...Object.fromEntries(list.map(([s, t]) => [s, t[lang].scene.name])) },
      viewPlace: { ...core.viewPlace, ...Object.fromEntries(list.map(([s, t]) => [s, t[lang].scene.place])) },
      ...Object.fromEntries(list.map(([s, t]) => [`${s}Ui`, t[lang]])),
      commonUi: commonUi[lang],
      videoUi: videoUi[lang],
      adminUi: { ...adminUi[lang], ...registryUi[lang], model: siteModelUi[lang], tabs: { ...adminUi[lang].tabs, ...registryUi[lang].tabs } },
    };
  };
  return { zh: { translation: build('zh') }, en: { translation: build('en') } };
}

/** Initialises i18next synchronously (resources are bundled) and keeps it on the store's language. */
export function initI18n(store: TwinStore, scenes: SceneTranslations): i18n {
  const apply = (lang: Lang) => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? 'CityTwin 城市安全数字孪生' : 'CityTwin — city safety digital twin';
  };
  void i18next.use(initReactI18next).init({
    resources: translations(scenes),
    lng: store.getState().lang,
    fallbackLng: 'zh',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes already
  });
  apply(store.getState().lang);
  store.subscribe((s, prev) => {
    if (s.lang !== prev.lang) {
      void i18next.changeLanguage(s.lang);
      apply(s.lang);
    }
  });
  return i18next;
}
