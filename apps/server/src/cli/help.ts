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
  audit verify                     Recompute the trust center's hash-chained audit log; report
                                   the first broken entry (exit code 1) or the chain head.
  help, --help, -h                 Show this help.

Storage: DATABASE_URL=postgres://... selects PostgreSQL; otherwise the SQLite file
<dataDir>/conclave.sqlite (CONCLAVE_DATA_DIR, default ./data), or --db <file>.
`;
