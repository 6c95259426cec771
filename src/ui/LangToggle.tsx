/** 中文 / EN switch; the store keeps the choice (localStorage) and i18next follows it. */
import { useTranslation } from 'react-i18next';
import { twin, useTwin } from '../state/react';

export function LangToggle() {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  return (
    <button
      type="button"
      className="lang-toggle"
      data-testid="lang-toggle"
      aria-label={t('top.langLabel')}
      onClick={() => twin.getState().setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('top.langToggle')}
    </button>
  );
}
