/** One live value, big, coloured by its state, with its unit and the limits it is held to. */
import { useTranslation } from 'react-i18next';
import type { Quantity, QuantityLimits, Severity } from '../contracts';
import { formatValue } from './format';

const LIMIT_KEYS = ['lowLow', 'low', 'high', 'highHigh'] as const;

export interface QuantityTileProps {
  quantity: Quantity;
  value: number | undefined;
  limits: QuantityLimits | undefined;
  /** `stale` greys the value: an old number must not look like a current, normal one. */
  state: Severity | 'normal' | 'stale';
}

export function QuantityTile({ quantity: q, value, limits, state }: QuantityTileProps) {
  const { t } = useTranslation();
  const shown = LIMIT_KEYS.filter((k) => limits?.[k] !== undefined);
  return (
    <div className={`qtile q-${state}`} data-state={state}>
      <div className="qtile-name">{t(`q.${q}`)}</div>
      <div className="qtile-value">
        <span className="qtile-number" data-testid={`quantity-${q}`}>
          {formatValue(q, value)}
        </span>
        <span className="qtile-unit">{t(`unit.${q}`)}</span>
      </div>
      {shown.length > 0 && (
        <div className="qtile-limits">
          {shown.map((k) => (
            <span key={k} className={`limit limit-${k}`}>
              {t(`limit.${k}`)} {formatValue(q, limits![k])}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
