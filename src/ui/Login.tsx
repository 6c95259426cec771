/** Login form: a 401 says "wrong username or password"; an unreachable service says so plainly. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../live';
import { twin } from '../state';
import { LangToggle } from './LangToggle';

export function Login() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Why we are here (e.g. the session expired): kept on the form until the next attempt, as the toast fades.
  const [reason, setReason] = useState(() => twin.getState().notice);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setReason(null);
    try {
      const res = await api.login(username.trim(), password);
      const s = twin.getState();
      s.notify(null);
      s.setAuth({ token: res.token, role: res.role, username: res.username ?? username.trim() });
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 401 || status === 400) setError(t('login.wrong'));
      else if (status === 429) setError(t('login.throttled'));
      else if (status === 0) setError(t('login.network'));
      else setError(t('login.server', { status }));
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <form className="login-card" data-testid="login-form" onSubmit={submit}>
        <div className="login-head">
          <div className="brand">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sub">{t('app.subtitle')}</span>
          </div>
          <LangToggle />
        </div>
        <h1>{t('login.title')}</h1>
        <label>
          {t('login.username')}
          <input
            data-testid="login-username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {reason?.kind === 'error' && (
          <div className="login-notice" data-testid="login-notice">
            {reason.key ? t(reason.key, { ...reason.params, defaultValue: reason.text }) : reason.text}
          </div>
        )}
        {error && (
          <div className="login-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="hint">{t('login.demoHint')}</p>
      </form>
    </div>
  );
}
