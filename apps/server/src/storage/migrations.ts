import type { Migration } from 'kysely';
import { m0001_meetings } from './migrations/0001-meetings';

/** Numbered, forward-only migrations shared by every SQL adapter (CONVENTIONS.md rule 8). */
export const migrations: Record<string, Migration> = {
  '0001-meetings': m0001_meetings,
};
