import type {
  AgencyRecord,
  DocumentMeta,
  LegalRequestRecord,
  ProductionMeta,
} from '../../modules/legal/legal-store';
import type { RequesterContext } from '../../modules/legal/requester-service';

// What the trust center's routes send: records minus anything internal (password hashes, TOTP
// secrets, idempotency keys). Dates serialise as ISO-8601 UTC.

export function requesterView(ctx: RequesterContext) {
  const r = ctx.requester;
  return {
    id: r.id,
    email: r.email,
    fullName: r.fullName,
    agency: agencyView(ctx.agency),
    emailVerified: r.emailVerifiedAt !== null,
    twoFactorEnabled: r.totpSecret !== null,
    attestationAccepted: r.attestationAcceptedAt !== null,
    verified: ctx.verified,
  };
}

export function agencyView(a: AgencyRecord) {
  return {
    id: a.id,
    name: a.name,
    country: a.country,
    subdivision: a.subdivision,
    level: a.level,
    emailDomains: a.emailDomains,
  };
}

export function requestView(r: LegalRequestRecord) {
  const { idempotencyKey: _key, ...rest } = r;
  return rest;
}

export function documentView(d: DocumentMeta) {
  return d;
}

export function productionView(p: ProductionMeta) {
  return { ...p, manifest: JSON.parse(p.manifest) as unknown };
}
