import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OpaqueIdSchema, TeamIdSchema, type Actor } from '../../machines';
import { computeReport, reportCsv, type Records, type ReportFilter } from '../../records';
import { checkTeamFilter, requireScope } from './authorize';
import { parse } from './errors';

const DAY = 86_400_000;
/** A day (`2026-01-31`, midnight UTC) or an instant (ISO 8601), as epoch ms. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((s) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));
const ReportQuery = z
  .object({ from: instant.optional(), to: instant.optional(), team: TeamIdSchema.optional(), facility: OpaqueIdSchema.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] });

/** The filter for `a`: the last year by default; within the teams of a `teams` scope. */
function filterOf(a: Actor, request: FastifyRequest): ReportFilter {
  const q = parse(ReportQuery, request.query);
  const scope = requireScope(a, 'reports.read');
  checkTeamFilter(a, scope, q.team);
  const to = q.to ?? Date.now();
  const teams = q.team ? [q.team] : scope === 'teams' ? a.teams : undefined;
  return { from: q.from ?? to - 365 * DAY, to, ...(teams ? { teams } : {}), ...(q.facility ? { facility: q.facility } : {}) };
}

/** What the evaluations report, per period and team or facility, from the record store (records/reports.ts). */
export function registerReportRoutes(app: FastifyInstance, o: { records: Records; actor: (request: FastifyRequest) => Actor }) {
  app.get('/api/reports', async (request) => computeReport(o.records.db, filterOf(o.actor(request), request)));

  app.get('/api/reports.csv', async (request, reply) => {
    const report = await computeReport(o.records.db, filterOf(o.actor(request), request));
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="report-${day(report.period.from)}-${day(report.period.to)}.csv"`)
      .send(reportCsv(report));
  });
}
