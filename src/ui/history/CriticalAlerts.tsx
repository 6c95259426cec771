/**
 * Watches the store for new critical alarms (not those already open when the page loaded) and
 * alerts: sound unless muted, a desktop notification when allowed. Renders nothing; the bell in
 * the top bar shows how many it has alerted (`data-alerts`).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmText } from '../../domain/texts';
import { sayOf } from '../../state';
import { twin } from '../../state/react';
import { nameOf, ruleTitle } from '../format';
import { newCriticals, playAlertSound, showNotification } from './alerts';
import { tools } from './tools';

/** Slack for clocks: an alarm raised this long before the page loaded still counts as new. */
const CLOCK_SLACK_MS = 2000;

export function CriticalAlerts() {
  const { t } = useTranslation();
  // Read at alert time, so a language switch neither re-arms nor forgets what was alerted.
  const tRef = useRef(t);
  tRef.current = t;
  useEffect(() => {
    const since = Date.now() - CLOCK_SLACK_MS;
    const seen = new Map<string, string>();
    const alerted = new Set<string>();
    const check = () => {
      const s = twin.getState();
      const fresh = newCriticals(s.alarms.values(), seen, alerted, since);
      if (fresh.length === 0) return;
      tools.getState().set({ alertCount: tools.getState().alertCount + fresh.length });
      if (!tools.getState().muted) playAlertSound();
      const t = tRef.current;
      for (const a of fresh) {
        const device = a.deviceId ? s.devices.get(a.deviceId) : undefined;
        const site = a.siteId ? s.sites.get(a.siteId) : undefined;
        const where = [nameOf(device, s.lang), nameOf(site, s.lang)].filter(Boolean).join(' · ') || a.deviceId || a.siteId || '';
        showNotification(a, t('commonUi.notify.newCritical', { title: ruleTitle(a.rule, t) }), [where, alarmText(a, sayOf(s))].filter(Boolean).join('\n'));
      }
    };
    check();
    return twin.subscribe((s, prev) => {
      if (s.alarmsVersion !== prev.alarmsVersion) check();
    });
  }, []);
  return null;
}
