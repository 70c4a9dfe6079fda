import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  noticeKey: string;
  raw: string;
  /** When the server had the whole message (Date.now()), before parsing it. */
  at: number;
}

export interface SmtpServerOptions {
  /**
   * Called right after a mail has been accepted (the 250 reply is on its way), in the same
   * tick: a test can kill the sender there, before it learns that the mail went through.
   */
  onAccepted?: (mail: Received) => void;
}

/** A real SMTP server on loopback that keeps what it receives; it can refuse mail on demand. */
export async function smtpServer(options: SmtpServerOptions = {}) {
  const received: Received[] = [];
  /** Mails turned away while refusing, parsed the same way. */
  const refusedMail: Received[] = [];
  let refusing = false;
  let refused = 0;
  const parse = async (raw: string, at: number): Promise<Received> => {
    const mail: ParsedMail = await simpleParser(raw);
    const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
    return {
      to,
      subject: mail.subject ?? '',
      text: mail.text ?? '',
      messageId: mail.messageId ?? '',
      noticeKey: String(mail.headers.get('x-pathway-notice-key') ?? ''),
      raw,
      at,
    };
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const at = Date.now();
        const raw = Buffer.concat(chunks).toString();
        if (refusing) {
          refused += 1;
          refusedMail.push(await parse(raw, at));
          return callback(Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 }));
        }
        const mail = await parse(raw, at);
        received.push(mail);
        callback();
        options.onAccepted?.(mail);
      });
    },
  });
  // A sender killed mid-conversation resets its connection: that is the fault under test, not the server's.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET') throw err;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (on: boolean) => (refusing = on),
    refusedCount: () => refused,
    refusedMail,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A team directory file for the default teams and any `more`, in `dir` (a new temporary folder by default). */
export function teamDirectory(more: string[] = [], dir = mkdtempSync(join(tmpdir(), 'pathways-teams-'))): string {
  const team = (name: string) => ({ language: 'da', coordinators: [`${name}@kommune.test`], supervisors: [`${name}-lead@kommune.test`] });
  const path = join(dir, 'teams.json');
  writeFileSync(
    path,
    JSON.stringify({
      teams: {
        outreach: team('outreach'),
        'psychiatry-liaison': team('liaison'),
        'care-place': team('care-place'),
        'housing-support': { ...team('housing'), language: 'en' },
        ...Object.fromEntries(more.map((t) => [t, team(t)])),
      },
    }),
  );
  return path;
}
