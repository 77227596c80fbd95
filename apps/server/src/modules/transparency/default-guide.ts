// The Government Requests Guide shown until the operator edits it (issue 8). Modelled on the
// topics of Zoom's guide (research §6) and the intake rules of DESIGN.md §6.

export const DEFAULT_GUIDE = `## Government Requests Guide

### How to submit a request
Requests are accepted **only** through our requester portal at \`/legal/portal\`. Register with your official government email address (your agency's domain must be on our list), verify it, set up two-factor authentication and accept the attestation that you act in an official capacity. Requests sent by email, post or any other channel are refused.

### What we require
- Valid legal process issued under the law of a jurisdiction that applies to us, signed by an authority entitled to issue it.
- The legal basis, the issuing authority and your reference number.
- The exact identifiers concerned (email address, user id or meeting id) and a limited date range.
- The categories of data sought. Content requires a search warrant or its equivalent; a subpoena reaches basic subscriber information only.
- Any order delaying notification of the user, **with an end date**.
- Foreign authorities: content is provided only through a mutual legal assistance treaty, the CLOUD Act or letters rogatory.

### What we challenge
We review every request against a checklist and challenge or reject requests that are overbroad or vague, lack a legal basis in the requesting jurisdiction, are not about the good-faith detection or prevention of crime, target users not subject to the jurisdiction, come from an entity without authority, carry a nondisclosure order without an end date, or were improperly served. Every disclosure is approved by a second reviewer.

### End-to-end encrypted meetings
We do not hold the content of end-to-end encrypted meetings and cannot produce it. Productions say so.

### How we notify users
We notify affected users before we disclose their data, unless a valid delayed-notification order with an end date applies, or an exception (danger to a child, a life-threatening emergency, a threat to the service). When an order expires and no extension was recorded, the notice goes out automatically.

### Emergencies
Emergency requests must state the facts showing an imminent danger of death or serious physical injury. We answer them first.

### Transparency
We publish, every six months, how many requests we received, of which types, from which countries and how we answered them.
`;
