/**
 * The evacuate siren: while any confined evacuate alarm is unacknowledged, a banner at the top of
 * the inspector's column and a WebAudio beep loop (two tones, like a site evacuation horn). The
 * banner has a mute button (this page only) and an acknowledge button (the owner role only, as
 * the roles say: only a scene's owner acts on its alarms; others see it disabled with the reason).
 *
 * In replay the banner shows the evacuate alarms unacknowledged at the replayed instant,
 * but the siren stays silent: it calls people to act now, not on a moment already past.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SpaceSummary } from '../../../contracts';
import { confined, evacuateBanner, spaces as spacesResource } from '../../../state/confined';
import { replay } from '../../../state/replay';
import { twin, useResource, useTwin } from '../../../state/react';
import { useStore } from 'zustand';
import { ackAlarm } from '../../ackAlarm';
import { nameOf } from '../../format';
import { useAlarmActions } from '../../useAlarmActions';

/** Beep pattern: 880 Hz / 660 Hz, 0.25 s each, then a pause; repeats every 1.2 s. */
const BEEP_PERIOD_MS = 1200;

/** A beep loop on its own AudioContext; resolves to a stop function. Silent if audio is unavailable. */
function startSiren(): () => void {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return () => {};
  let ctx: AudioContext;
  try {
    ctx = new Ctx();
  } catch {
    return () => {};
  }
  const beep = () => {
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const t0 = ctx.currentTime;
    [880, 660].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.3);
      gain.gain.exponentialRampToValueAtTime(0.12, t0 + i * 0.3 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.3 + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + i * 0.3);
      osc.stop(t0 + i * 0.3 + 0.26);
    });
  };
  beep();
  const timer = setInterval(beep, BEEP_PERIOD_MS);
  return () => {
    clearInterval(timer);
    void ctx.close().catch(() => {});
  };
}

const NO_SPACES: SpaceSummary[] = [];

export function EvacuateAlarm() {
  const { t } = useTranslation();
  const alarmsVersion = useTwin((s) => s.alarmsVersion);
  const lang = useTwin((s) => s.lang);
  const muted = useStore(confined, (s) => s.muted);
  const [busy, setBusy] = useState(false);
  const spaces = useResource(spacesResource, (s) => s.data ?? NO_SPACES);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { ids, unacked, inside } = useMemo(() => evacuateBanner(twin.getState().alarms.values(), spaces), [alarmsVersion, spaces]);
  const replaying = useStore(replay, (s) => s.mode === 'replay');
  const sounding = !replaying && unacked.some((id) => !muted.has(id));
  const { allowed, why } = useAlarmActions('confined');

  useEffect(() => (sounding ? startSiren() : undefined), [sounding]);

  if (ids.length === 0) return null;
  const st = twin.getState();
  const first = st.alarms.get(ids[0]);
  const site = first?.siteId ? st.sites.get(first.siteId) : undefined;

  const ack = async () => {
    setBusy(true);
    for (const id of unacked) await ackAlarm(id);
    setBusy(false);
  };

  return (
    <div className="evac-banner" role="alert" data-testid="evacuate-banner" data-sounding={sounding ? 'true' : 'false'} data-count={ids.length} data-inside={inside}>
      <div className="evac-text">
        <b>{t('confinedUi.evac.banner')}</b>
        <span>
          {nameOf(site, lang)}
          {ids.length > 1 ? ` +${ids.length - 1}` : ''}
          {inside > 0 && <b className="evac-inside"> · {t('confinedUi.evac.inside', { n: inside })}</b>}
        </span>
      </div>
      <div className="evac-actions">
        <button
          type="button"
          className="evac-mute"
          data-testid="evacuate-mute"
          disabled={!sounding}
          onClick={() => ids.forEach((id) => confined.getState().mute(id))}
        >
          {sounding ? t("confinedUi.evac.mute") : t("confinedUi.evac.muted")}
        </button>
        <button
          type="button"
          className="evac-ack"
          data-testid="evacuate-ack"
          disabled={!allowed || busy || unacked.length === 0}
          title={why}
          onClick={() => void ack()}
        >
          {unacked.length === 0 ? t('confinedUi.evac.acked') : t('confinedUi.evac.ack')}
        </button>
      </div>
    </div>
  );
}
