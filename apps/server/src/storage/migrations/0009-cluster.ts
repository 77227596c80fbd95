import type { Kysely, Migration } from 'kysely';

// Several nodes (issue 19, DESIGN.md §7): the node registry (one row per node, refreshed by its
// heartbeat) and meeting leases (meeting id -> owning node until `expires_at`). Times are
// milliseconds since the epoch so a lease comparison is one integer comparison in both dialects.
// Unused by a single SQLite node.
export const m0009_cluster: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cluster_nodes')
      .addColumn('node_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('public_url', 'varchar(300)', (c) => c.notNull())
      .addColumn('media_address', 'varchar(100)', (c) => c.notNull())
      .addColumn('participants', 'integer', (c) => c.notNull())
      .addColumn('meetings', 'integer', (c) => c.notNull())
      .addColumn('cpu', 'real', (c) => c.notNull())
      .addColumn('workers', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('meeting_leases')
      .addColumn('meeting_id', 'varchar(16)', (c) => c.primaryKey())
      .addColumn('node_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('taken_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('meeting_leases_node_idx')
      .on('meeting_leases')
      .columns(['node_id', 'expires_at'])
      .execute();
  },
};
