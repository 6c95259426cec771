/** Users: list with role, state and last login; create; change role; disable or enable; set a password. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH, ROLES, type Role, type UserInfo } from '../../contracts';
import { formatTime } from '../history/api';
import { AdminApiError, createUser, listUsers, updateUser } from './api';

export function UsersTab({ token }: { token: string }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<UserInfo[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [draft, setDraft] = useState({ username: '', role: 'inspector' as Role, password: '' });

  const reload = useCallback(() => {
    listUsers(token).then(setUsers, (e: Error) => setMessage({ ok: false, text: t('adminUi.failed', { msg: e.message }) }));
  }, [token, t]);
  useEffect(reload, [reload]);

  const failed = (e: unknown) => {
    const err = e as AdminApiError;
    setMessage({ ok: false, text: err.code === 'last_admin' ? t('adminUi.users.lastAdmin') : t('adminUi.failed', { msg: err.message }) });
  };
  const change = async (u: UserInfo, patch: { role?: Role; disabled?: boolean; password?: string }, done: string) => {
    try {
      await updateUser(token, u.username, patch);
      setMessage({ ok: true, text: done });
    } catch (e) {
      failed(e);
    }
    reload();
  };
  // The user whose new password is being typed, inline in their row.
  const [pwFor, setPwFor] = useState<{ username: string; value: string } | null>(null);
  const savePassword = (e: FormEvent, u: UserInfo) => {
    e.preventDefault();
    if (pwFor) void change(u, { password: pwFor.value }, t('adminUi.users.passwordSet', { name: u.username }));
    setPwFor(null);
  };
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await createUser(token, { ...draft, username: draft.username.trim() });
      setMessage({ ok: true, text: t('adminUi.users.created', { name: draft.username.trim() }) });
      setDraft({ username: '', role: draft.role, password: '' });
    } catch (err) {
      failed(err);
    }
    reload();
  };

  return (
    <div className="admin-page" data-testid="admin-users">
      {message && (
        <div className={message.ok ? 'admin-note ok' : 'admin-note warn'} role="status" data-testid="admin-message">
          {message.text}
        </div>
      )}
      {!users ? (
        <div className="empty">{t('adminUi.loading')}</div>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th>{t('adminUi.users.username')}</th>
              <th>{t('adminUi.users.role')}</th>
              <th>{t('adminUi.users.status')}</th>
              <th>{t('adminUi.users.lastLogin')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.username} data-testid="user-row" data-username={u.username} className={u.disabled ? 'muted' : ''}>
                <td className="mono">{u.username}</td>
                <td>
                  <select
                    aria-label={t('adminUi.users.role')}
                    data-testid="user-role"
                    value={u.role}
                    onChange={(e) => void change(u, { role: e.target.value as Role }, t('adminUi.users.updated', { name: u.username }))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.disabled ? t('adminUi.users.disabled') : t('adminUi.users.enabled')}</td>
                <td className="mono">{u.lastLoginAt ? formatTime(u.lastLoginAt) : t('adminUi.users.never')}</td>
                <td className="admin-actions">
                  {pwFor?.username === u.username ? (
                    <form className="inline-form" onSubmit={(e) => savePassword(e, u)}>
                      <input
                        type="password"
                        autoComplete="new-password"
                        autoFocus
                        required
                        minLength={MIN_PASSWORD_LENGTH}
                        aria-label={t('adminUi.users.passwordPrompt', { name: u.username })}
                        placeholder={t('adminUi.users.password')}
                        data-testid="user-new-password"
                        value={pwFor.value}
                        onChange={(e) => setPwFor({ username: u.username, value: e.target.value })}
                      />
                      <button type="submit" className="primary" data-testid="user-password-save">
                        {t('adminUi.account.save')}
                      </button>
                      <button type="button" className="ghost" onClick={() => setPwFor(null)}>
                        {t('adminUi.account.cancel')}
                      </button>
                    </form>
                  ) : (
                    <>
                      <button type="button" className="ghost" data-testid="user-toggle" onClick={() => void change(u, { disabled: !u.disabled }, t('adminUi.users.updated', { name: u.username }))}>
                        {u.disabled ? t('adminUi.users.enable') : t('adminUi.users.disable')}
                      </button>
                      <button type="button" className="ghost" data-testid="user-password" onClick={() => setPwFor({ username: u.username, value: '' })}>
                        {t('adminUi.users.setPassword')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="admin-form" data-testid="user-create" onSubmit={(e) => void create(e)}>
        <h3>{t('adminUi.users.newUser')}</h3>
        <input
          aria-label={t('adminUi.users.username')}
          placeholder={t('adminUi.users.username')}
          data-testid="new-username"
          required
          pattern="[A-Za-z0-9_.\-]{1,64}"
          value={draft.username}
          onChange={(e) => setDraft({ ...draft, username: e.target.value })}
        />
        <select aria-label={t('adminUi.users.role')} data-testid="new-role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <input
          type="password"
          autoComplete="new-password"
          aria-label={t('adminUi.users.password')}
          placeholder={t('adminUi.users.password')}
          data-testid="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          value={draft.password}
          onChange={(e) => setDraft({ ...draft, password: e.target.value })}
        />
        <button type="submit" className="primary" data-testid="new-submit">
          {t('adminUi.users.create')}
        </button>
      </form>
    </div>
  );
}
