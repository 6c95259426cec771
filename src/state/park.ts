/**
 * The park scene's state: leak danger zones (`GET /api/zones`) and the park manager's summary
 * (`GET /api/park/summary`), both computed by the service and polled every 2 s (the wind mast
 * reports every 10 s, trucks every 5 s) and soon after a park alarm changes; at the replayed
 * instant in replay.
 */
import { parkSummaryAnswerSchema, zoneCollectionSchema, type ParkSummary, type ZoneCollection, type ZoneFeature } from '../contracts';
import { createPolledResource } from './resource';

/** Poll period while live, ms. */
export const PARK_POLL_MS = 2000;

/** The active danger zones (the features of the collection). */
export const zones = createPolledResource<ZoneCollection, ZoneFeature[]>('/api/zones', {
  periodMs: PARK_POLL_MS,
  schema: zoneCollectionSchema,
  select: (c) => c.features,
  refetchOnAlarmsOf: 'park',
});

/** Enterprises with their risk colour and open alarms; tanks with readings against limits. */
export const parkSummary = createPolledResource<ParkSummary>('/api/park/summary', { periodMs: PARK_POLL_MS, schema: parkSummaryAnswerSchema, refetchOnAlarmsOf: 'park' });
