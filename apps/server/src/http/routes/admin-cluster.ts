import { ConclaveError } from '@conclave/protocol';
import type { ClusterStatusView } from '@conclave/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { caller } from '../auth/access';
import { route } from '../route';

export interface AdminClusterDeps {
  /** The nodes and their load; undefined on a single node. */
  nodes: (() => Promise<ClusterStatusView['nodes']>) | undefined;
  /** Only the operator's account (the one running the service) sees its nodes. */
  operatorAccountId: () => Promise<string | undefined>;
}

/** The Nodes page of /admin (issue 19): the operator account's owners and admins only. */
export const adminClusterRoutes: FastifyPluginAsync<AdminClusterDeps> = async (app, opts) => {
  route(app, {
    method: 'GET',
    url: '/api/admin/cluster/nodes',
    access: 'account-admin',
    handler: async ({ req }): Promise<ClusterStatusView> => {
      // A customer's admin must not learn the operator's infrastructure.
      if (caller(req).account.id !== (await opts.operatorAccountId()))
        throw new ConclaveError('FORBIDDEN');
      return opts.nodes
        ? { clustered: true, nodes: await opts.nodes() }
        : { clustered: false, nodes: [] };
    },
  });
};
