/**
 * The space card's chain ventilate → test → permit → attendant → entry (先通风、再检测、后作业):
 * each step green (done), red (broken) or grey (not yet), with the time it was done and a short
 * note of why it is red or grey. The steps and their reasons come judged from the service.
 */
import { useTranslation } from 'react-i18next';
import type { ChainStep } from '../../../contracts';
import { clockTime as time } from '../../format';

/** Numbers a step's note may show; ids are left out (the alarm text names people). */
function noteParams(step: ChainStep): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(step.reason?.params ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

export function EntryChain({ chain }: { chain: readonly ChainStep[] }) {
  const { t } = useTranslation();
  if (chain.length === 0) return null;
  return (
    <ol className="entry-chain" data-testid="entry-chain" aria-label={t('confinedUi.chain.title')}>
      {chain.map((c) => (
        <li key={c.step} className={`chain-step chain-${c.status}`} data-step={c.step} data-status={c.status}>
          <span className="chain-mark" aria-hidden="true">
            {c.status === 'ok' ? '✓' : c.status === 'failed' ? '✕' : '…'}
          </span>
          <b className="chain-name">{t(`confinedUi.chain.step.${c.step}`)}</b>
          <span className="chain-time">{c.at !== null ? time(c.at) : '—'}</span>
          {c.reason && <span className="chain-note">{t(`confinedUi.chain.note.${c.reason.code}`, { ...noteParams(c), defaultValue: t(`confinedUi.chain.status.${c.status}`) })}</span>}
        </li>
      ))}
    </ol>
  );
}
