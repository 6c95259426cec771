/**
 * Whether this operator may act on (acknowledge, shelve) an alarm of a scene now, and why not:
 * only the scene's owner may (the role owning it, or admin), and nobody while replaying — the list then shows
 * the alarms as they stood at the cursor, and acting on a past record would act on today's alarm.
 */
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { roleOwnsScene, type Scene } from '../contracts';
import { useTwin } from '../state/react';
import { replay } from '../state/replay';
import { ownerRole } from './format';

export interface AlarmActions {
  allowed: boolean;
  /** Why not, for a title and a muted note; undefined when allowed. */
  why: string | undefined;
}

export function useAlarmActions(scene: Scene): AlarmActions {
  const { t } = useTranslation();
  const role = useTwin((s) => s.auth?.role ?? null);
  const replaying = useStore(replay, (s) => s.mode === 'replay');
  if (replaying) return { allowed: false, why: t('alarms.replayNoAct') };
  if (role === null || !roleOwnsScene(role, scene)) return { allowed: false, why: t('alarms.notOwner', { role: t(`role.${ownerRole(scene)}`) }) };
  return { allowed: true, why: undefined };
}
