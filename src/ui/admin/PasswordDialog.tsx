/** One's own password: the current one, the new one twice. Other sessions of the user end on success. */
import { useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../../contracts';
import { twin } from '../../state';
import { useTwin } from '../../state/react';
import { AdminApiError, changeOwnPassword } from './api';
import { adminUi } from './state';

export function PasswordDialog() {
  const { t } = useTranslation();
  const token = useTwin((s) => s.auth?.token) ?? '';
  const [form, setForm] = useState({ current: '', next: '', repeat: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => adminUi.getState().set({ passwordOpen: false });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.next !== form.repeat) return setError(t('adminUi.account.mismatch'));
    setBusy(true);
    try {
      await changeOwnPassword(token, form.current, form.next);
      twin.getState().notify({ kind: 'info', text: 'password changed', key: 'adminUi.account.saved' });
      close();
    } catch (err) {
      const status = err instanceof AdminApiError ? err.status : 0;
      setError(status === 403 ? t('adminUi.account.wrong') : status === 429 ? t('adminUi.account.throttled') : t('adminUi.failed', { msg: (err as Error).message }));
      setBusy(false);
    }
  };
  const field = (k: keyof typeof form, label: string, auto: string) => (
    <label>
      {label}
      <input
        type="password"
        autoComplete={auto}
        required
        minLength={k === 'current' ? undefined : MIN_PASSWORD_LENGTH}
        data-testid={`password-${k}`}
        value={form[k]}
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
      />
    </label>
  );

  return createPortal(
    <div className="modal-backdrop" role="presentation">
      <form className="modal password-dialog" role="dialog" aria-modal="true" aria-labelledby="pw-title" data-testid="password-dialog" onSubmit={(e) => void submit(e)}>
        <h3 id="pw-title">{t('adminUi.account.password')}</h3>
        {field('current', t('adminUi.account.current'), 'current-password')}
        {field('next', t('adminUi.account.next'), 'new-password')}
        {field('repeat', t('adminUi.account.repeat'), 'new-password')}
        {error && (
          <div className="admin-note warn" role="alert">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="ghost" onClick={close}>
            {t('adminUi.account.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="password-save">
            {t('adminUi.account.save')}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}
