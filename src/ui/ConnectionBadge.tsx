/** Live-link state: connected (green), connecting/reconnecting (orange), offline (red). */
import { useTranslation } from 'react-i18next';
import { useTwin } from '../state/react';

export function ConnectionBadge() {
  const { t } = useTranslation();
  const state = useTwin((s) => s.connection);
  return (
    <span className={`conn conn-${state}`} data-testid="connection" data-state={state} role="status">
      <span className="conn-dot" aria-hidden />
      {t(`conn.${state}`)}
    </span>
  );
}
