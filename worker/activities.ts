import type { Client } from '@temporalio/client';
import type { Records } from '../records';
import { createFacilityActivities } from '../activities/facilities';
import { createMailer, registryAddresses, type MailConfig } from '../activities/mail';
import { createNoticeActivities, type NoticeInput } from '../activities/notices';
import { createRecordActivities } from '../activities/records';

export interface ActivityDeps {
  client: Client;
  taskQueue: string;
  mail: MailConfig;
  /** The record store (audit trail, closed pathways, reference data). */
  records: Records;
  /** Replaces SMTP delivery (tests at the edge only). */
  deliver?: (n: NoticeInput) => Promise<void>;
}

/** Every activity the worker offers, wired to its I/O. */
export function createActivities(d: ActivityDeps) {
  const deliver = d.deliver ?? (d.mail.SMTP_URL ? createMailer({ ...d.mail, SMTP_URL: d.mail.SMTP_URL }, registryAddresses(d.records, d.mail.TEAM_DIRECTORY_PATH)) : undefined);
  return {
    ...createNoticeActivities(deliver),
    ...createFacilityActivities(d.client, d.taskQueue, d.records),
    ...createRecordActivities(d.records, d.client),
  };
}
export type Activities = ReturnType<typeof createActivities>;
