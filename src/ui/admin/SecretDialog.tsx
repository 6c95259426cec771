/**
 * Newly issued MQTT credentials, shown once: the service keeps only a hash of the password, so
 * this dialog is the only place it is ever seen. With a mosquitto_pub line to try them.
 */
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { IssuedCredentials } from '../../contracts';

export function SecretDialog({ creds, topic, onClose }: { creds: IssuedCredentials; topic: string; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(creds.password).then(() => setCopied(true));
  };
  const host = typeof location !== 'undefined' ? location.hostname : 'localhost';
  const example = `mosquitto_pub -h ${host} -p 1883 -u ${creds.username} -P '${creds.password}' -t ${topic} -m '{"ts": …, "values": {…}}'`;
  // On <body>: inside the drawer, its backdrop-filter would make the drawer the fixed box's frame.
  return createPortal(
    <div className="modal-backdrop" role="presentation">
      <div className="modal secret-dialog" role="dialog" aria-modal="true" aria-labelledby="secret-title" data-testid="secret-dialog">
        <h3 id="secret-title">{t('adminUi.secret.title', { name: creds.username })}</h3>
        <p className="admin-note warn">{t('adminUi.secret.once')}</p>
        <dl className="secret-fields">
          <dt>{t('adminUi.secret.username')}</dt>
          <dd className="mono" data-testid="secret-username">
            {creds.username}
          </dd>
          <dt>{t('adminUi.secret.password')}</dt>
          <dd className="mono secret" data-testid="secret-password">
            {creds.password}
            <button type="button" className="ghost" onClick={copy}>
              {copied ? t('adminUi.secret.copied') : t('adminUi.secret.copy')}
            </button>
          </dd>
          <dt>{t('adminUi.secret.example')}</dt>
          <dd className="mono example">{example}</dd>
        </dl>
        <button type="button" className="primary" data-testid="secret-done" autoFocus onClick={onClose}>
          {t('adminUi.secret.done')}
        </button>
      </div>
    </div>,
    document.body,
  );
}
