import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ClusterStore, Lease, NodeRecord, NodeReport } from '../modules/cluster/cluster-store';
import type { Database } from './schema';

/**
 * Node registry and meeting leases in SQL. A lease is taken with one conditional upsert
 * (`INSERT … ON CONFLICT DO UPDATE … WHERE`): PostgreSQL locks the conflicting row and
 * re-checks the condition, so of two nodes racing for the same meeting exactly one gets a row
 * back; SQLite serialises writers anyway.
 */
export class SqlClusterStore implements ClusterStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async heartbeat(r: NodeReport, at: number, startedAt: number): Promise<void> {
    const row = {
      node_id: r.nodeId,
      public_url: r.publicUrl,
      media_address: r.mediaAddress,
      participants: r.participants,
      meetings: r.meetings,
      cpu: r.cpu,
      workers: r.workers,
      started_at: startedAt,
      heartbeat_at: at,
    };
    const { node_id: _id, ...update } = row;
    await this.#db
      .insertInto('cluster_nodes')
      .values(row)
      .onConflict((oc) => oc.column('node_id').doUpdateSet(update))
      .execute();
  }

  async listNodes(): Promise<NodeRecord[]> {
    const rows = await this.#db
      .selectFrom('cluster_nodes')
      .selectAll()
      .orderBy('heartbeat_at', 'desc')
      .execute();
    return rows.map((r) => ({
      nodeId: r.node_id,
      publicUrl: r.public_url,
      mediaAddress: r.media_address,
      participants: r.participants,
      meetings: r.meetings,
      cpu: Number(r.cpu),
      workers: r.workers,
      startedAt: Number(r.started_at),
      heartbeatAt: Number(r.heartbeat_at),
    }));
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.#db.deleteFrom('meeting_leases').where('node_id', '=', nodeId).execute();
    await this.#db.deleteFrom('cluster_nodes').where('node_id', '=', nodeId).execute();
  }

  async takeLease(
    meetingId: string,
    nodeId: string,
    now: number,
    expiresAt: number,
  ): Promise<Lease> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const won = await this.#db
        .insertInto('meeting_leases')
        .values({ meeting_id: meetingId, node_id: nodeId, expires_at: expiresAt, taken_at: now })
        .onConflict((oc) =>
          oc
            .column('meeting_id')
            .doUpdateSet({
              node_id: nodeId,
              expires_at: expiresAt,
              // A renewal keeps the time the lease was first taken.
              taken_at: sql<number>`case when meeting_leases.node_id = ${nodeId} then meeting_leases.taken_at else ${now} end`,
            })
            .where((eb) =>
              eb.or([
                eb('meeting_leases.node_id', '=', nodeId),
                eb('meeting_leases.expires_at', '<', now),
              ]),
            ),
        )
        .returning(['meeting_id', 'node_id', 'expires_at'])
        .executeTakeFirst();
      if (won) return toLease(won);
      const held = await this.leaseOf(meetingId, now);
      if (held) return held;
      // The holder let go between the two statements: try again.
    }
    throw new Error(`lease of ${meetingId} kept changing hands`);
  }

  async renewLeases(nodeId: string, meetingIds: string[], expiresAt: number): Promise<string[]> {
    if (meetingIds.length === 0) return [];
    const renewed = await this.#db
      .updateTable('meeting_leases')
      .set({ expires_at: expiresAt })
      .where('node_id', '=', nodeId)
      .where('meeting_id', 'in', meetingIds)
      .returning('meeting_id')
      .execute();
    const kept = new Set(renewed.map((r) => r.meeting_id));
    return meetingIds.filter((id) => !kept.has(id));
  }

  async leaseOf(meetingId: string, now: number): Promise<Lease | undefined> {
    const row = await this.#db
      .selectFrom('meeting_leases')
      .select(['meeting_id', 'node_id', 'expires_at'])
      .where('meeting_id', '=', meetingId)
      .where('expires_at', '>=', now)
      .executeTakeFirst();
    return row ? toLease(row) : undefined;
  }

  async releaseLease(meetingId: string, nodeId: string): Promise<void> {
    await this.#db
      .deleteFrom('meeting_leases')
      .where('meeting_id', '=', meetingId)
      .where('node_id', '=', nodeId)
      .execute();
  }

  async leaseCounts(now: number): Promise<Map<string, number>> {
    const rows = await this.#db
      .selectFrom('meeting_leases')
      .select(['node_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('expires_at', '>=', now)
      .groupBy('node_id')
      .execute();
    return new Map(rows.map((r) => [r.node_id, Number(r.n)]));
  }
}

function toLease(r: { meeting_id: string; node_id: string; expires_at: number | string }): Lease {
  return { meetingId: r.meeting_id, nodeId: r.node_id, expiresAt: Number(r.expires_at) };
}
