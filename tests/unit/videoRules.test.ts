import { describe, expect, it } from 'vitest';
import { VIDEO_RULE_DEFAULTS, detectionCondition, detectionHolds, type DetectionPlace } from '../../src/domain';
import type { Severity } from '../../src/contracts';

const nowhere: DetectionPlace = { inDangerZone: false, occupiedOpening: false, onExpressway: false };
const zone: DetectionPlace = { ...nowhere, inDangerZone: true };
const opening: DetectionPlace = { ...nowhere, occupiedOpening: true };
const expressway: DetectionPlace = { ...nowhere, onExpressway: true };
const titled = <T extends { what: string }>(rows: T[]): [string, T][] => rows.map((r) => [r.what, r]);

describe('a video detection raises video_{kind} with its severity by kind and place', () => {
  it.each(
    titled<{ what: string; kind: string; place: DetectionPlace; severity: Severity | null; incident?: boolean }>([
      { what: 'fire anywhere is critical', kind: 'fire', place: nowhere, severity: 'critical' },
      { what: 'fire in a danger zone is critical', kind: 'fire', place: zone, severity: 'critical' },
      { what: 'smoke anywhere is critical', kind: 'smoke', place: nowhere, severity: 'critical' },
      { what: 'smoke on an expressway is critical', kind: 'smoke', place: expressway, severity: 'critical' },
      { what: 'intrusion into a danger zone is major', kind: 'intrusion', place: zone, severity: 'major' },
      { what: "intrusion at an occupied space's opening is major", kind: 'intrusion', place: opening, severity: 'major' },
      { what: 'intrusion elsewhere is a warning', kind: 'intrusion', place: nowhere, severity: 'warning' },
      { what: 'no helmet is minor', kind: 'no_helmet', place: nowhere, severity: 'minor' },
      { what: 'no helmet at an occupied opening is still minor', kind: 'no_helmet', place: opening, severity: 'minor' },
      { what: 'attendant absent while people are inside is critical', kind: 'attendant_absent', place: opening, severity: 'critical' },
      { what: 'attendant absent with nobody inside is no alarm', kind: 'attendant_absent', place: nowhere, severity: null },
      { what: 'a stopped vehicle on an expressway is major and an incident candidate', kind: 'vehicle_stopped', place: expressway, severity: 'major', incident: true },
      { what: 'a stopped vehicle off the expressway is no alarm', kind: 'vehicle_stopped', place: nowhere, severity: null },
      { what: 'a stopped vehicle in a danger zone (not a road) is no alarm', kind: 'vehicle_stopped', place: zone, severity: null },
      { what: 'an unknown kind still reaches an operator as a warning', kind: 'person_fall', place: nowhere, severity: 'warning' },
    ]),
  )('%s', (_, { kind, place, severity, incident }) => {
    const c = detectionCondition({ cameraId: 'cam-1', kind, confidence: 0.9 }, place);
    if (severity === null) {
      expect(c).toBeNull();
      return;
    }
    expect(c).toMatchObject({ rule: `video_${kind}`, severity, value: 0.9, threshold: 0.5, cameraId: 'cam-1', incidentCandidate: incident ?? false });
    expect(c!.message).toContain('cam-1');
  });

  it('names what was seen and where in the message', () => {
    expect(detectionCondition({ cameraId: 'g60-cam', kind: 'vehicle_stopped', confidence: 0.81 }, expressway)?.message).toBe(
      'video: stopped vehicle on an expressway (camera g60-cam, confidence 0.81); possible incident, please confirm',
    );
    expect(detectionCondition({ cameraId: 'c', kind: 'person_fall', confidence: 0.7 }, nowhere)?.message).toBe('video: person fall (camera c, confidence 0.70)');
  });
});

describe('the confidence bar', () => {
  it.each(
    titled([
      { what: 'at the default bar (0.5) it counts', confidence: 0.5, raises: true },
      { what: 'just under the bar it is ignored', confidence: 0.49, raises: false },
      { what: 'zero is ignored', confidence: 0, raises: false },
      { what: 'a NaN score is ignored', confidence: Number.NaN, raises: false },
    ]),
  )('%s', (_, { confidence, raises }) => {
    expect(detectionCondition({ cameraId: 'c', kind: 'fire', confidence }, nowhere) !== null).toBe(raises);
  });

  it('can be set per kind (a lower bar for fire, the default for the rest)', () => {
    const cfg = { ...VIDEO_RULE_DEFAULTS, minConfidenceByKind: { fire: 0.3 } };
    expect(detectionCondition({ cameraId: 'c', kind: 'fire', confidence: 0.35 }, nowhere, cfg)).toMatchObject({ threshold: 0.3 });
    expect(detectionCondition({ cameraId: 'c', kind: 'smoke', confidence: 0.35 }, nowhere, cfg)).toBeNull();
  });
});

describe('a detection holds its condition for holdMs after the last one', () => {
  const t = 1_764_300_000_000;
  it.each([
    [0, true],
    [VIDEO_RULE_DEFAULTS.holdMs - 1, true],
    [VIDEO_RULE_DEFAULTS.holdMs, true],
    [VIDEO_RULE_DEFAULTS.holdMs + 1, false],
  ])('%s ms after the last detection: %s', (dt, holds) => {
    expect(detectionHolds(t, t + dt)).toBe(holds);
  });
});

describe('what a detection carries into the alarm detail', () => {
  const expressway: DetectionPlace = { inDangerZone: false, occupiedOpening: false, onExpressway: true };
  it.each([
    ['a snapshot when the box sent one', { kind: 'smoke', snapshotUrl: '/snap/7.jpg' }, { snapshotUrl: '/snap/7.jpg' }],
    ['no snapshot field when it did not', { kind: 'smoke' }, { snapshotUrl: undefined }],
    ['a stopped vehicle on an expressway as an incident candidate', { kind: 'vehicle_stopped' }, { incidentCandidate: true }],
    ['no candidate for other kinds', { kind: 'fire' }, { incidentCandidate: undefined }],
  ] as const)('%s', (_, d, params) => {
    const c = detectionCondition({ cameraId: 'cam', confidence: 0.9, ...d }, expressway);
    for (const [k, v] of Object.entries(params)) expect(c!.detail!.params[k], k).toBe(v);
  });
});
