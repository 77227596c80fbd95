import type { Kysely, Migration } from 'kysely';

// Several nodes (issue 19): the node composing a recording holds a claim on it until
// `composer_until` (milliseconds since the epoch), renewed while ffmpeg runs, so a node that starts
// meanwhile does not compose it a second time; a claim left by a crashed node simply expires.
export const m0010_composition_claims: Migration = {
  async up(db: Kysely<unknown>) {
    // one column per statement: SQLite's ALTER TABLE adds one at a time
    await db.schema.alterTable('recordings').addColumn('composer_node', 'varchar(64)').execute();
    await db.schema.alterTable('recordings').addColumn('composer_until', 'bigint').execute();
  },
};
