/**
 * The confined spaces' entry state at a past instant, for `GET /api/spaces?at=`: the stored events
 * of [at − 24 h, at] folded the way a restart restores them (`rebuildEntry`), then each space
 * judged at `at` by the domain's `judgeSpace` with its detectors as they stood then (last
 * reading, threshold alarms open at `at`) and the space's own rules. Read-only: nothing is
 * asserted, the live rules and alarm engine never hear of it.
 */
import type { ChainStep, Reason } from '../../../contracts';
import { judgeSpace, reasonText, type EntryRules, type SpaceEntryState } from '../../../domain';
import type { StoredEvent } from '../../storage';
import type { RegistryIndex } from '../../registry';
import { EntryBook, RESTORE_WINDOW_MS, rebuildEntry, spaceContext, type EntryView, type SpaceIndex } from './rules';
import type { TwinAt } from '../../history/twinAt';


/** Why a permit comes back suspended: its space's evacuate alarm was open at the instant. */
const SUSPENDED_AT = 'evacuate alarm open at this instant';

export class ConfinedAt implements EntryView {
  private readonly book: EntryBook;
  /** Spaces evaluated so far: one request about one space evaluates only that one. */
  private readonly evaluated = new Map<string, { state: SpaceEntryState; reasonCodes: Reason[]; chain: ChainStep[] | null }>();

  /**
   * @param spaces the registry's spaces (`ConfinedRules.spaces`)
   * @param rulesOf each space's entry rules (`ConfinedRules.rulesOf`)
   * @param twin the twin at the instant; its `atMs` is the instant judged
   * @param events the confined events of the RESTORE_WINDOW_MS before it (`ConfinedAt.load` reads them)
   */
  constructor(
    private readonly spaces: ReadonlyMap<string, SpaceIndex>,
    private readonly rulesOf: (spaceId: string) => EntryRules,
    registry: RegistryIndex,
    private readonly twin: TwinAt,
    events: readonly StoredEvent[],
  ) {
    this.book = new EntryBook(spaces, rulesOf, registry);
    rebuildEntry(this.book, registry.devices, events, twin, SUSPENDED_AT);
  }

  /** The entry state at the twin's instant, its events read by the reader threads. */
  static async load(spaces: ReadonlyMap<string, SpaceIndex>, rulesOf: (spaceId: string) => EntryRules, registry: RegistryIndex, twin: TwinAt): Promise<ConfinedAt> {
    return new ConfinedAt(spaces, rulesOf, registry, twin, await twin.events('confined', RESTORE_WINDOW_MS));
  }

  /** The space's entry state at the instant (an evacuate condition then has suspended its permit). */
  state(spaceId: string): SpaceEntryState {
    return this.evaluate(spaceId).state;
  }

  /** Why evacuate held at the instant, most urgent first (empty when it did not). */
  reasons(spaceId: string): string[] {
    return this.evaluate(spaceId).reasonCodes.map(reasonText);
  }

  /** The evacuate reasons as codes and the chain at the instant. */
  judged(spaceId: string): { reasonCodes: Reason[]; chain: ChainStep[] } | null {
    const e = this.evaluate(spaceId);
    return e.chain ? { reasonCodes: e.reasonCodes, chain: e.chain } : null;
  }

  private evaluate(spaceId: string): { state: SpaceEntryState; reasonCodes: Reason[]; chain: ChainStep[] | null } {
    const done = this.evaluated.get(spaceId);
    if (done) return done;
    const space = this.spaces.get(spaceId);
    const folded = this.book.state(spaceId);
    let out: { state: SpaceEntryState; reasonCodes: Reason[]; chain: ChainStep[] | null } = { state: folded, reasonCodes: [], chain: null };
    if (space) {
      // Silence judged from the stored readings alone: which process was listening then is not recorded.
      const r = judgeSpace(folded, spaceContext(space, this.twin, this.twin, null), this.twin.atMs, this.rulesOf(spaceId));
      out = { state: r.state, reasonCodes: r.evacuate?.reasons ?? [], chain: r.chain };
    }
    this.evaluated.set(spaceId, out);
    return out;
  }
}
