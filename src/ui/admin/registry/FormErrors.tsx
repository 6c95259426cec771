/** A registry form's failure: the service's message and each field it named, in the user's language. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { twin } from '../../../state';
import { RegistryApiError } from './api';

export function FormErrors({ error }: { error: RegistryApiError | Error | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = error instanceof RegistryApiError ? error.errors : [];
  return (
    <div className="admin-note warn reg-errors" role="alert" data-testid="form-errors">
      {t('adminUi.failed', { msg: error.message })}
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              {f.field && <b className="mono">{f.field}</b>} {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Runs a save with the session's token, keeping the failure to show and a busy flag. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (run: (token: string) => Promise<void>) => {
    const token = twin.getState().auth?.token;
    if (!token || busy) return;
    setBusy(true);
    setError(null);
    try {
      await run(token);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
