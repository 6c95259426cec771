/**
 * What every alarm row shows and does, whichever list it stands in (the alarm list, the park's
 * alarm centre): its device and site, its sentence and value against threshold, the live value
 * beside it, its age; clicking flies to the source and opens the cameras that see it (视频联动);
 * acknowledging is the scene owner's (useAlarmActions).
 */
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmRecord } from '../contracts';
import { alarmText } from '../domain/texts';
import { ruleQuantity } from '../state';
import { twin, useNow, useSay, useTwin } from '../state/react';
import { video } from '../state/video';
import { ackAlarm } from './ackAlarm';
import { liveBeside, valueVsThreshold } from './format';
import { useGlobe } from './globe';
import { useAlarmActions } from './useAlarmActions';

export function useAlarmRow(a: AlarmRecord) {
  const { t } = useTranslation();
  const lang = useTwin((s) => s.lang);
  const device = useTwin((s) => (a.deviceId ? s.devices.get(a.deviceId) : undefined));
  const site = useTwin((s) => (a.siteId ? s.sites.get(a.siteId) : undefined));
  const globe = useGlobe();
  const now = useNow(5000);
  const [busy, setBusy] = useState(false);
  const { allowed, why } = useAlarmActions(a.scene);
  const say = useSay();
  const text = alarmText(a, say);
  const q = ruleQuantity(a.rule)?.quantity;
  // A threshold alarm's sentence is its value line; other rules' sentences say their numbers with units.
  const threshold = q !== undefined;
  const vs = threshold || !a.detail ? valueVsThreshold(a, t) : null;
  const liveValue = useTwin((s) => (a.deviceId && q ? (s.live.get(a.deviceId)?.values as Record<string, number> | undefined)?.[q] : undefined));
  const liveNow = liveBeside(a, liveValue, t);

  const focus = () => {
    twin.getState().select({ deviceId: a.deviceId, siteId: a.siteId });
    if (a.cameraIds?.length) video.getState().openCameras(a.cameraIds, a.id);
    if (a.deviceId) globe?.flyToDevice(a.deviceId);
    else if (a.siteId) globe?.flyToSite(a.siteId);
  };
  const ack = async (e: MouseEvent) => {
    e.stopPropagation(); // acknowledging is not selecting
    setBusy(true);
    await ackAlarm(a.id);
    setBusy(false);
  };
  return { t, lang, say, device, site, now, busy, allowed, why, text, threshold, vs, liveNow, focus, ack };
}
