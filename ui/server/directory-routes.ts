import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../machines';
import { listTeams, type Records } from '../../records';
import type { Account } from './accounts';

/**
 * Names for ids: every team (inactive ones too, as old entries name them) and every local
 * account, so pages show "Anna (opsøgende team)" and "Psykiatrisk udredning", not `anna` and
 * `psychiatry-liaison`. Staff names are colleagues' names, not citizens' data; anyone signed in
 * may read them. People who sign in through OpenID are named by their id until they have an account.
 */
export function registerDirectory(app: FastifyInstance, o: { records: Records; accounts: Account[] | (() => Account[]); actor: (request: FastifyRequest) => Actor }) {
  app.get('/api/directory', async (request) => {
    o.actor(request);
    const accounts = typeof o.accounts === 'function' ? o.accounts() : o.accounts;
    return {
      teams: (await listTeams(o.records.db)).map(({ id, name }) => ({ id, name })),
      // Teams and role too, so a supervisor can pick a coordinator of their team.
      staff: accounts.map(({ id, name, role, teams }) => ({ id, name, role, teams })),
    };
  });
}
