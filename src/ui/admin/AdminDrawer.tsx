/**
 * The admin pages, in one drawer over the globe reached from the top bar: the registry of sites
 * and devices and its import, users, device and gateway credentials, and the audit log. While a
 * registry form takes clicks on the globe the drawer steps aside for the pick bar. Rendered for the admin role only (the service refuses
 * every call of it to anyone else anyway). Also the own-password dialog, for everyone.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useTwin } from '../../state/react';
import { AuditTab } from './AuditTab';
import { CredentialsTab } from './CredentialsTab';
import { PasswordDialog } from './PasswordDialog';
import { ImportTab } from './registry/ImportTab';
import { PickBar } from './registry/PickBar';
import { RegistryTab } from './registry/RegistryTab';
import { adminUi, useAdminUi, type AdminTab } from './state';
import { UsersTab } from './UsersTab';
import './admin.css';

const TABS: AdminTab[] = ['registry', 'import', 'users', 'devices', 'audit'];

export function AdminPanels() {
  const role = useTwin((s) => s.auth?.role);
  const tab = useAdminUi((s) => s.tab);
  const passwordOpen = useAdminUi((s) => s.passwordOpen);
  const picking = useAdminUi((s) => s.picking);
  return (
    <>
      {role === 'admin' && tab && <Drawer tab={tab} />}
      {role === 'admin' && tab && picking && <PickBar mode={picking} />}
      {passwordOpen && <PasswordDialog />}
    </>
  );
}

function Drawer({ tab }: { tab: AdminTab }) {
  const { t } = useTranslation();
  const token = useTwin((s) => s.auth?.token) ?? '';
  const picking = useAdminUi((s) => s.picking);
  useEffect(() => {
    // Esc while the globe takes clicks cancels the pick (the pick bar's own handler), not the drawer.
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !adminUi.getState().picking && adminUi.getState().set({ tab: null });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <aside className={picking ? 'panel history-drawer admin-drawer stepped-aside' : 'panel history-drawer admin-drawer'} data-testid="admin-drawer" aria-hidden={picking ? true : undefined} aria-label={t('adminUi.title')}>
      <header className="panel-head">
        <h2>{t('adminUi.title')}</h2>
        <button type="button" className="close" aria-label={t('common.close')} data-testid="admin-close" onClick={() => adminUi.getState().set({ tab: null })}>
          ×
        </button>
      </header>
      <nav className="admin-tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'tab active' : 'tab'}
            data-testid={`admin-tab-${k}`}
            onClick={() => adminUi.getState().set({ tab: k })}
          >
            {t(`adminUi.tabs.${k}`)}
          </button>
        ))}
      </nav>
      <div className="admin-body">
        {tab === 'registry' && <RegistryTab />}
        {tab === 'import' && <ImportTab />}
        {tab === 'users' && <UsersTab token={token} />}
        {tab === 'devices' && <CredentialsTab token={token} />}
        {tab === 'audit' && <AuditTab token={token} />}
      </div>
    </aside>
  );
}
