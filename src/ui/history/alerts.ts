/**
 * Alerts for new critical alarms: a desktop Notification (once the operator allowed it)
 * and a short two-tone sound through WebAudio. Browsers allow both only after a user gesture, so
 * `enableAlerts` is called from a click (the bell).
 */
import type { AlarmRecord } from '../../contracts';

let audio: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  audio ??= new AudioContext();
  // Suspended until a user gesture; logging in counts, so this usually succeeds.
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  return audio;
}

/** From a click: asks for notification permission and unlocks audio. Answers the permission. */
export async function enableAlerts(): Promise<NotificationPermission | 'unsupported'> {
  audioContext();
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'default') return Notification.requestPermission();
  return Notification.permission;
}

/** Two falling tones, 0.45 s in all: loud enough to turn a head, short enough not to grate in a flood. */
export function playAlertSound(): void {
  const ctx = audioContext();
  if (!ctx) return;
  const t0 = ctx.currentTime;
  for (const [i, hz] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = hz;
    const start = t0 + i * 0.22;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.21);
  }
}

/** A desktop notification for an alarm, if allowed; clicking it focuses the page. */
export function showNotification(alarm: AlarmRecord, title: string, body: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: alarm.id, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the sound and the list still alert.
  }
}

/**
 * Which alarms are newly critical since `sinceMs`: critical, waiting for an acknowledgement, not
 * alerted before, and either raised after `sinceMs` or seen before at a lower severity (an alarm
 * that worsened). Pure; `seen` maps ids to the severity they were last seen with and is updated.
 */
export function newCriticals(alarms: Iterable<AlarmRecord>, seen: Map<string, string>, alerted: Set<string>, sinceMs: number): AlarmRecord[] {
  const out: AlarmRecord[] = [];
  for (const a of alarms) {
    const before = seen.get(a.id);
    seen.set(a.id, a.severity);
    if (a.severity !== 'critical' || a.state !== 'active_unack' || alerted.has(a.id)) continue;
    if (a.raisedAt >= sinceMs || (before !== undefined && before !== 'critical')) {
      alerted.add(a.id);
      out.push(a);
    }
  }
  return out;
}
