/** The alarm engine's fixed numbers and wordings (alarms.ts). */
import type { Severity } from '../contracts';
import type { ShelveContext } from '../domain';

/**
 * How long a condition must hold before it raises, by severity (ISA-18.2 on-delay). Critical is
 * immediate ("get them out now"); at the 5 s reporting interval of the gas detectors 2 s means a
 * major alarm needs a second reading or two seconds of a standing value.
 */
export const ON_DELAY_MS: Record<Severity, number> = { critical: 0, major: 2000, minor: 5000, warning: 5000 };

/** A silent device is shown grey and raises this (entry rules escalate it in a confined space). */
export const STALE_SEVERITY: Severity = 'minor';

/** No place to judge: nobody inside, no permit (every scene but a confined space). */
export const NOWHERE: ShelveContext = { peopleInside: 0, permitOpen: false };

/** Why an alarm may not be shelved, for people (the app words `why` in the user's language). */
export const NOT_SHELVABLE_TEXT: Record<string, string> = {
  critical: 'a critical alarm cannot be shelved',
  evacuate: 'an evacuate alarm cannot be shelved',
  attendant: 'an attendant alarm cannot be shelved',
  space_occupied: 'people are inside the space',
  permit_open: 'a permit is open on the space',
  closed: 'the alarm is closed',
};
