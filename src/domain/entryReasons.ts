/**
 * English sentences for the structured reasons of the entry rules: the `message` of alarm records
 * (for integrations) and the v1 `reasons` strings. The app renders the codes in the user's language
 * from i18n; this is the fallback, and it keeps the v1 wording word for word.
 */
import type { GasLevel, Reason } from '../contracts';
import { describeFailure, type GasTestFailure } from './entry';

const where = (deviceId: string, level: GasLevel | null) => (level ? `${level} detector` : deviceId);
const iso = (ms: number) => new Date(ms).toISOString();

/** One reason as an English phrase. */
export function reasonText(r: Reason): string {
  switch (r.code) {
    case 'detector_alarm':
      return `${where(r.params.deviceId, r.params.level)}: ${r.params.message} (${r.params.severity})`;
    case 'no_detector':
      return 'no gas detector monitors the space';
    case 'detector_offline':
      return `${where(r.params.deviceId, r.params.level)} offline`;
    case 'detector_silent':
      return `${where(r.params.deviceId, r.params.level)} silent for more than ${r.params.silentS} s`;
    case 'no_permit':
      return 'no open permit';
    case 'permit_suspended':
      return `permit ${r.params.permitId} suspended${r.params.cause ? ` (${r.params.cause})` : ''}`;
    case 'attendant_inside':
      return `attendant ${r.params.personId} is inside (must stay at the opening)`;
    case 'not_on_permit':
      return `${r.params.personId} is not on permit ${r.params.permitId}`;
    case 'over_capacity':
      return `${r.params.inside} inside, ${r.params.allowed} allowed`;
    case 'ventilation_off':
      return `ventilation off since ${iso(r.params.since)}`;
    case 'permit_lapsed':
      return `permit ${r.params.permitId} lapsed at ${iso(r.params.validUntil)}`;
    case 'gas_test_missing':
      return r.params.permitId === null ? 'no gas test' : `permit ${r.params.permitId} opened without a gas test`;
    case 'gas_test_failed': {
      const failed = `gas test failed: ${r.params.failures.map((f) => describeFailure(f as GasTestFailure)).join('; ')}`;
      return r.params.permitId === null ? failed : `permit ${r.params.permitId}: ${failed}`;
    }
    case 'gas_test_old_at_open':
      return `permit ${r.params.permitId} opened ${r.params.minutes} min after the gas test (valid ${r.params.validMinutes} min)`;
    case 'gas_test_old_at_entry':
      return `permit ${r.params.permitId}: first entry ${r.params.minutes} min after the gas test (valid ${r.params.validMinutes} min)`;
    case 'entered_ventilation_off':
      return `${r.params.personId} entered with the ventilation off`;
    case 'entered_ventilation_unrecorded':
      return `${r.params.personId} entered with no record of ventilation`;
    case 'purge_too_short': {
      const test = `gas test taken ${r.params.ranMinutes} min into the ventilation (purge ${r.params.purgeMinutes} min first)`;
      return r.params.personId === null ? test : `${r.params.personId} entered on a ${test}`;
    }
    case 'retest_after_break':
      return `${r.params.personId} re-entered after ${r.params.emptyMinutes} min empty without a new gas test (needed after ${r.params.limitMinutes} min)`;
    case 'entered_after_expiry':
      return `${r.params.personId} entered after permit ${r.params.permitId} lapsed at ${iso(r.params.validUntil)}`;
    case 'attendant_off_post':
      return `attendant ${r.params.personId} off post for ${r.params.awayS} s (limit ${r.params.limitS} s)`;
    case 'o2_enriched':
      return `${where(r.params.deviceId, r.params.level)}: o2_pct ${r.params.o2Pct} > ${r.params.limitPct} (oxygen enrichment)`;
    case 'natural_ventilation':
      return 'naturally ventilated';
    case 'ventilation_unrecorded':
      return 'no ventilation record';
    case 'purging':
      return `ventilating: ${r.params.ranMinutes} of ${r.params.purgeMinutes} min`;
    case 'retest_required':
      return `empty for ${r.params.emptyMinutes} min: a new gas test is needed (after ${r.params.limitMinutes} min)`;
    case 'gas_test_expired':
      return `gas test ${r.params.minutes} min old (valid ${r.params.validMinutes} min)`;
    case 'attendant_unrecorded':
      return `attendant ${r.params.personId} not reported at the opening`;
    case 'attendant_on_post':
      return `attendant ${r.params.personId} at the opening`;
    case 'nobody_inside':
      return 'nobody inside';
    case 'evacuate':
      return 'evacuate';
  }
}
