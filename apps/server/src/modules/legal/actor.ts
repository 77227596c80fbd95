import type { ActorKind, AuditEntity } from './audit-chain';
import type { LegalStore } from './legal-store';

/** Who did something, as the audit log records it. */
export interface Actor {
  kind: ActorKind;
  id: string;
}

export const SYSTEM: Actor = { kind: 'system', id: 'scheduler' };

/** Appends one audit entry in the caller's transaction (never outside one). */
export function audit(
  tx: LegalStore,
  at: Date,
  actor: Actor,
  action: string,
  entity: AuditEntity,
  entityId: string,
  requestId: string | null,
  detail: Record<string, unknown> = {},
) {
  return tx.audit.append({
    at,
    actorKind: actor.kind,
    actorId: actor.id,
    action,
    entity,
    entityId,
    requestId,
    detail,
  });
}
