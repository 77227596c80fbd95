export const HELP = `Usage: conclave <command> [options]

Commands:
  migrate                          Bring the database to the newest migration and list what ran.
  admin create-account             Create an account and its first owner.
      --name <account name>        (required)
      --email <owner email>        (required)
      --password <password>        the owner's password (12+ characters), or
      --password-stdin             read it from standard input (keeps it out of 'ps')
      --owner-name <name>          default: the part of the email before '@'
      --plan <basic|pro|business|enterprise>   default: basic
  user reset-password              Set a user's password, clear lockout, end their sessions.
      --email <email>              (required)
      --password <password> | --password-stdin
                                   without either, a random password is printed once
  admin set-account-location       Record where an account is (trust-center jurisdiction check).
      --account <id> --country <ISO 3166-1 alpha-2> [--subdivision <ISO 3166-2 code>]
  user reset-2fa --email <email>   Turn a user's two-factor sign-in off (lost phone, or a secret
                                   the server key no longer opens); ends their sessions.
  secrets rotate-key               Re-encrypt the stored TOTP secrets and re-seal the recording
      [--new-key-stdin]            files under a new server key (stop the server first). Key in secret.key: a new one is generated and
                                   replaces the file. Key in CONCLAVE_SECRET_KEY: pass the new one
                                   on stdin, then set it there.
  mail show --to <email>           Print undelivered mail to one address, bodies included (the
                                   admin outbox shows no bodies: links are credentials). Without
                                   SMTP, forward an invitation from here to its recipient.
  audit verify                     Recompute the trust center's hash-chained audit log; report
                                   the first broken entry (exit code 1) or the chain head.
  legal import FILE                Import past requests kept elsewhere as closed historical
      [--format csv|jsonl]         requests with their outcomes (docs/legal-import.md). All or
                                   nothing: any bad row is reported by line number and nothing
                                   is imported. Default format: from the extension.
  transparency verify PERIOD       Check a published transparency report (e.g. 2026-H1): the
      [--version N]                audit chain up to the head the snapshot recorded; the report
                                   recomputed from the counted facts in the log at that head vs
                                   the published numbers (field, published, recomputed); the
                                   stored requests vs the log (request, field, log, stored).
                                   Exit code 1 on any difference. Default: the newest version.
  cluster status                   List the nodes of a cluster (README "Running several nodes"):
                                   live or dead, URL, media address, meetings, participants, CPU,
                                   last heartbeat (CONCLAVE_CLUSTER_LEASE_MS decides "dead").
  help, --help, -h                 Show this help.

Storage: DATABASE_URL=postgres://... selects PostgreSQL; otherwise the SQLite file
<dataDir>/conclave.sqlite (CONCLAVE_DATA_DIR, default ./data), or --db <file>.
Secret key: the server's, which encrypts TOTP secrets: CONCLAVE_SECRET_KEY, else
<dataDir>/secret.key (created if missing; with --db, still from the data dir).
`;
