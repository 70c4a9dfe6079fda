import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Accepted {
  messageId: string;
  noticeKey: string;
  /** When the server accepted the message (Date.now()). */
  at: number;
}

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw)?.[1]?.trim() ?? '';

/** A real SMTP server on loopback that notes when it accepted each message; it reads headers only. */
export async function smtpSink() {
  const accepted: Accepted[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        accepted.push({ messageId: header(raw, 'Message-ID'), noticeKey: header(raw, 'X-Pathway-Notice-Key'), at: Date.now() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpSink = Awaited<ReturnType<typeof smtpSink>>;
