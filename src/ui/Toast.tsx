/** Shows store.notice; errors stay longer than confirmations. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { twin, useTwin } from '../state/react';

const SHOW_MS = { info: 4000, error: 9000 } as const;

export function Toast() {
  const { t } = useTranslation();
  const notice = useTwin((s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => {
      if (twin.getState().notice === notice) twin.getState().notify(null);
    }, SHOW_MS[notice.kind]);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={notice.kind}>
      <span>{notice.key ? t(notice.key, { ...notice.params, defaultValue: notice.text }) : notice.text}</span>
      <button type="button" className="close" aria-label={t('common.close')} onClick={() => twin.getState().notify(null)}>
        ×
      </button>
    </div>
  );
}
