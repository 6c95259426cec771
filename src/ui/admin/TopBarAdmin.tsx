/** The top bar's account controls: the admin pages (admin only), one's own password, and logout for everyone. */
import { useTranslation } from 'react-i18next';
import { useTwin } from '../../state/react';
import { logOut } from './account';
import { adminUi, useAdminUi } from './state';

export function AccountButtons() {
  const { t } = useTranslation();
  const auth = useTwin((s) => s.auth);
  const tab = useAdminUi((s) => s.tab);
  if (!auth) return null;
  return (
    <>
      {auth.role === 'admin' && (
        <button
          type="button"
          className={tab ? 'ghost on' : 'ghost'}
          aria-pressed={tab !== null}
          data-testid="admin-open"
          aria-label={t('adminUi.title')}
          title={t('adminUi.title')}
          onClick={() => adminUi.getState().set({ tab: tab ? null : 'users' })}
        >
          <GearIcon />
        </button>
      )}
      <button type="button" className="user" title={t('adminUi.account.password')} data-testid="account-password" onClick={() => adminUi.getState().set({ passwordOpen: true })}>
        <span className="user-name">{auth.username}</span>
        <span className="user-role">{t(`role.${auth.role}`)}</span>
      </button>
      <button type="button" className="ghost" data-testid="logout" onClick={() => void logOut()}>
        {t('top.logout')}
      </button>
    </>
  );
}

/** A 24-px stroke gear (no emoji: a control-room PC may have no colour-emoji font). */
function GearIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1L7 17M17 7l2.1-2.1" />
    </svg>
  );
}
