/**
 * The audit log: who did what, when and from where. Every security-relevant act (logins and their
 * failures, lockouts, logouts, acks, shelves, user, credential and configuration changes) is
 * recorded here; nothing in it is ever a password or a token.
 */
import type { AuditEntry, AuditQuery, IdentityStore } from './store';

/** Who acts: the logged-in user (or null) and the client's address. */
export interface Actor {
  user: string | null;
  address: string | null;
}

export const SERVICE_ACTOR: Actor = { user: null, address: null };

export class AuditLog {
  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number,
  ) {}

  /** Stores an entry; resolves once it is committed. */
  record(action: string, actor: Actor, target: string | null = null, detail: Record<string, unknown> | null = null): Promise<void> {
    return this.store.addAudit({ ts: this.now(), user: actor.user, address: actor.address, action, target, detail });
  }

  query(q: AuditQuery): Promise<AuditEntry[]> {
    return this.store.audit(q);
  }
}
