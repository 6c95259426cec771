/**
 * i18next with Chinese and English. The store's `lang` is the source of truth (saved in
 * localStorage by the store); this module follows it, so switching language is `setLang`.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang, TwinStore } from '../state';
import { en } from './en';
import { zh } from './zh';
import { adminUi } from './admin';
import { commonUi } from './scenes/common';
import { confinedUi } from './scenes/confined';
import { parkUi } from './scenes/park';
import { roadsUi } from './scenes/roads';
import { videoUi } from './scenes/video';

/** Core strings plus each scene's own (t('roadsUi.…')), so scene panels own their strings. */
export const resources = {
  zh: { translation: { ...zh, confinedUi: confinedUi.zh, parkUi: parkUi.zh, roadsUi: roadsUi.zh, commonUi: commonUi.zh, videoUi: videoUi.zh, adminUi: adminUi.zh } },
  en: { translation: { ...en, confinedUi: confinedUi.en, parkUi: parkUi.en, roadsUi: roadsUi.en, commonUi: commonUi.en, videoUi: videoUi.en, adminUi: adminUi.en } },
} as const;

/** Initialises i18next synchronously (resources are bundled) and keeps it on the store's language. */
export function initI18n(store: TwinStore): i18n {
  const apply = (lang: Lang) => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? 'CityTwin 城市安全数字孪生' : 'CityTwin — city safety digital twin';
  };
  void i18next.use(initReactI18next).init({
    resources,
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
