import type { TestServer } from './test-server';

/**
 * The token in the newest link mailed to `to`, read from the server's mail queue the way its
 * recipient would read the mail (the admin outbox shows no bodies: links are credentials).
 */
export async function mailedToken(server: Pick<TestServer, 'db'>, to: string): Promise<string> {
  const rows = await server.db
    .selectFrom('outbox')
    .select(['body', 'created_at'])
    .where('to_address', '=', to.toLowerCase())
    .orderBy('created_at', 'desc')
    .execute();
  for (const r of rows) {
    const token = /#token=([A-Za-z0-9_-]+)/.exec(r.body)?.[1];
    if (token) return token;
  }
  throw new Error(`no link mailed to ${to}`);
}
