import { ApplicationFailure, log } from '@temporalio/activity';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { parseEnv } from '../config/env';
import { getTeam, importTeamDirectoryFile, type Records } from '../records';
import type { NoticeInput } from './notices';
import { renderNotice } from './templates';

/** E-mail settings from the environment. Without SMTP_URL, e-mail is off. */
export const MailConfigSchema = z.object({
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected smtp://user:password@host:port or smtps://…' }).optional(),
  MAIL_FROM: z.email().default('care-pathways@localhost'),
  /** Where notices link to: the web UI's address. */
  LINK_BASE_URL: z.url().default('http://localhost:3000'),
  TEAM_DIRECTORY_PATH: z.string().min(1).optional(),
});
export type MailConfig = z.infer<typeof MailConfigSchema>;

export function loadMailConfig(env: Record<string, string | undefined> = process.env): MailConfig {
  // Addresses live in the registry (records/reference-data.ts); TEAM_DIRECTORY_PATH only imports a file into it.
  return parseEnv(MailConfigSchema, env, 'e-mail configuration');
}

/** A Message-ID from the notice key: the same notice always carries the same id, so retries can be recognised. */
export const messageId = (n: NoticeInput, from: string) =>
  `<${`${n.key}.${n.pathwayId}`.replace(/[^A-Za-z0-9.-]/g, '-')}@${from.split('@')[1] ?? 'localhost'}>`;

/**
 * Where a team's notices go, from the registry (records/reference-data.ts). A team-directory
 * file (TEAM_DIRECTORY_PATH) is imported into the registry once, before the first look-up;
 * `npm start` and the worker import it at start-up too, so a bad file stops them there.
 */
export function registryAddresses(records: Records, directoryPath?: string) {
  let imported: Promise<unknown> | undefined;
  return async (teamId: string) => {
    if (directoryPath) await (imported ??= importTeamDirectoryFile(records.db, directoryPath));
    const team = await getTeam(records.db, teamId);
    return team?.active ? team : undefined;
  };
}
export type TeamAddresses = (teamId: string) => Promise<{ language: 'da' | 'en'; coordinators: string[]; supervisors: string[] } | undefined>;

/** Sends notices over SMTP to the addresses the registry gives. */
export function createMailer(config: MailConfig & { SMTP_URL: string }, addresses: TeamAddresses) {
  const transport = nodemailer.createTransport(config.SMTP_URL);
  return async (n: NoticeInput): Promise<void> => {
    const teams = (await Promise.all(n.notice.teams.map(addresses))).filter((t) => t !== undefined);
    const to = [...new Set(teams.flatMap((t) => (n.notice.audience === 'supervisors' ? t.supervisors : t.coordinators)))];
    if (to.length === 0) {
      // Retrying cannot help until someone fixes the registry; the workflow flags it and tries later.
      throw ApplicationFailure.nonRetryable(`no ${n.notice.audience} address for team ${n.notice.teams.join(', ')}`, 'NoRecipients');
    }
    const { subject, text } = renderNotice(n, teams[0]?.language ?? 'da', config.LINK_BASE_URL);
    await transport.sendMail({
      from: config.MAIL_FROM,
      to,
      subject,
      text,
      messageId: messageId(n, config.MAIL_FROM),
      // Mail rules and help desks can sort by pathway without parsing the subject; the id is opaque.
      headers: { 'X-Pathway-Notice-Key': n.key, 'X-Pathway-Id': n.pathwayId },
    });
    log.info('notice mailed', { pathwayId: n.pathwayId, kind: n.kind, recipients: to.length });
  };
}
