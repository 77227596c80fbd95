// The methodology published with every report (issue 8: "write down every choice"). Each line
// matches a rule in counting.ts / views.ts / csv.ts and cites research/legal-requests-and-
// transparency.md where the choice comes from.

export const METHODOLOGY = `## Methodology

**Periods.** Reports are semi-annual: H1 is January 1 00:00:00 to June 30 23:59:59.999 and H2 is July 1 00:00:00 to December 31 23:59:59.999, in UTC. The cadence never changes, so periods can be compared.

**Which period a request belongs to.** A request is counted in the period of the moment we received it, never the moment we answered it. Its outcome is the one recorded when the report was published (the snapshot), which is always after the period ended. Requests still open at that moment are counted as *pending*; they are never dropped, and later outcomes are not moved into an earlier period.

**One legal instrument is one request.** A preservation extension is not a new request: it is counted in the preservation table's *extensions received* column only.

**Country.** A request is attributed to the country of the authority that made it. Requests under a mutual legal assistance treaty (MLAT), the CLOUD Act or letters rogatory are attributed to the country that originated them, and keep their own legal-process type.

**Legal-process types.** The main table covers subpoenas, court orders, search warrants, emergency requests, MLAT, CLOUD Act and letters rogatory requests. Preservation requests, requests to withhold access and national-security requests have separate tables and are never part of the main totals. Every type appears for every listed country, with explicit zeros; a country that is not listed sent no requests in the period. Civil requests are not accepted through our intake and do not appear.

**Outcomes.** Each request has exactly one outcome:
- *Content*: we disclosed content. Content disclosed always includes non-content, so this bucket and *non-content only* never overlap.
- *Non-content only*: we disclosed non-content data and no content.
- *General information only*: we explained our process and disclosed no data. This is not counted as data produced.
- *Rejected*: refused for invalid service, legal invalidity or insufficient detail, including requests we challenged until they were dropped.
- *No responsive data*: the request was valid but we hold no data for it. Some publishers fold this into *rejected*; we show it separately so both views can be read.
- *Withdrawn*: the requesting authority withdrew the request before we decided it.
- *Other*: a decision that is neither a disclosure nor a refusal (for example a preservation decided on an ordinary request).
- *Pending* (CSV column \`requests_open_at_snapshot\`): still open when this version of the report was published — its snapshot, which is after the period ended, not the last day of the period. A disclosure awaiting its second reviewer, or a request under challenge, is pending. A later version (errata) counts them again as of its own snapshot.

**Data produced.** The share of requests where some data was produced is (content + non-content only) ÷ requests received, computed from the counts and rounded to one decimal; it is never an average of percentages. Preservation is not disclosure. *Accounts for which data was produced* counts the accounts specified in requests where data was produced.

**Accounts specified.** The identifiers named in each request (email addresses, user ids, meeting ids), whether or not they match an account. The same account named in two requests is counted twice.

**Delayed-notification orders.** "N of M" counts requests (not orders) that came with an order delaying user notification, including orders that were later lifted or expired.

**Emergency requests** are counted in the main table under the *emergency* type and again, in more detail, in the emergency table.

**National-security requests** are reported only as bands, as 50 U.S.C. §1874(a) allows, computed as floor(n ÷ w) × w to that plus w − 1 for requests and, separately, for the selectors (accounts) they name. When there were none the band is 0 to w − 1 (for example 0–499). The band width (250, 500 or 1000) is chosen when the report is published and shown with it.

**Published reports are frozen.** Each published version is a snapshot that records the head of our hash-chained audit log at the moment it was computed. Later changes to requests never change a published version. Corrections are published as a new version with a note (errata); earlier versions stay available.

**Changes to the dataset.** In December 2026 the CSV column \`requests_pending_at_period_end\` was renamed \`requests_open_at_snapshot\`: it always counted requests still open at the snapshot, and the old name suggested the end of the period. Only the name changed; every published version, older ones included, is served with the new name.

**Checking our numbers.** Every change to what this report counts of a request (its type, country, flags, accounts, status and outcome) is written into that audit log when it happens. \`conclave transparency verify PERIOD\` recomputes a published version from the log as it stood at the recorded head and prints any difference from the published numbers; it also compares the stored requests with the log, so a request changed outside the audited review process is named. Auditors with access to our database can run it themselves.

**Downloads.** The CSV and JSON downloads contain exactly the rows the page shows under the current filters. CSV columns follow the common schema of published transparency datasets (Google, Apple, Twitter, Meta, Zoom).
`;
