/**
 * The confined spaces' entry state at a past instant, for `GET /api/spaces?at=`: the stored events
 * of [at − 24 h, at] folded the way a restart restores them (`rebuildEntry`), then each space
 * evaluated at `at` by the domain's `evaluateSpace` with its detectors as they stood then (last
 * reading, threshold alarms open at `at`). Read-only: nothing is asserted, the live rules and
 * alarm engine never hear of it.
 */
import type { Reason } from '../../../contracts';
import { evaluateSpace, type SpaceEntryState } from '../../../domain';
import type { StoredEvent } from '../../storage';
import type { RegistryIndex } from '../../registry';
import { EntryBook, RESTORE_WINDOW_MS, rebuildEntry, spaceContext, type EntryView, type SpaceIndex } from './rules';
import type { TwinAt } from '../../history/twinAt';

type Judged = { state: SpaceEntryState; reasons: string[]; reasonCodes: Reason[] };

/** Why a permit comes back suspended: its space's evacuate alarm was open at the instant. */
const SUSPENDED_AT = 'evacuate alarm open at this instant';

export class ConfinedAt implements EntryView {
  private readonly book: EntryBook;
  /** Spaces evaluated so far: one request about one space evaluates only that one. */
  private readonly evaluated = new Map<string, Judged>();

  /**
   * @param spaces the registry's spaces (`ConfinedRules.spaces`)
   * @param twin the twin at the instant; its `atMs` is the instant judged
   * @param events the confined events of the RESTORE_WINDOW_MS before it (`ConfinedAt.load` reads them)
   */
  constructor(
    private readonly spaces: ReadonlyMap<string, SpaceIndex>,
    registry: RegistryIndex,
    private readonly twin: TwinAt,
    events: readonly StoredEvent[],
  ) {
    this.book = new EntryBook(spaces);
    rebuildEntry(this.book, registry.devices, events, twin, SUSPENDED_AT);
  }

  /** The entry state at the twin's instant, its events read by the reader threads. */
  static async load(spaces: ReadonlyMap<string, SpaceIndex>, registry: RegistryIndex, twin: TwinAt): Promise<ConfinedAt> {
    return new ConfinedAt(spaces, registry, twin, await twin.events('confined', RESTORE_WINDOW_MS));
  }

  /** The space's entry state at the instant (an evacuate condition then has suspended its permit). */
  state(spaceId: string): SpaceEntryState {
    return this.evaluate(spaceId).state;
  }

  /** Why evacuate held at the instant, most urgent first (empty when it did not). */
  reasons(spaceId: string): string[] {
    return this.evaluate(spaceId).reasons;
  }

  reasonCodes(spaceId: string): Reason[] {
    return this.evaluate(spaceId).reasonCodes;
  }

  private evaluate(spaceId: string): Judged {
    const done = this.evaluated.get(spaceId);
    if (done) return done;
    const space = this.spaces.get(spaceId);
    const folded = this.book.state(spaceId);
    let out: Judged = { state: folded, reasons: [], reasonCodes: [] };
    if (space) {
      // Silence judged from the stored readings alone: which process was listening then is not recorded.
      const r = evaluateSpace(folded, spaceContext(space, this.twin, this.twin, null), this.twin.atMs);
      out = { state: r.state, reasons: r.reasons, reasonCodes: r.reasonCodes };
    }
    this.evaluated.set(spaceId, out);
    return out;
  }
}
