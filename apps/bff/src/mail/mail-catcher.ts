import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  /** Order of arrival, from 1. */
  seq: number;
  at: number;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailCatcherOptions {
  /** 0 for any free port; a fixed port lets a test bring "the same" server back. */
  port?: number;
  /** How many messages are kept (the oldest go first). */
  keep?: number;
}

const SMTP_TEMPORARY_FAILURE = 451;

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, parsed: demo mode's mailbox (the
 * console shows what the account holder got) and the tests' mail server. It can be told to refuse
 * messages for a while, as a busy or broken mail server does.
 */
export class MailCatcher {
  readonly messages: CaughtMail[] = [];
  /** While set, every message is refused with this SMTP code (4xx: try later; 5xx: never). */
  refuseWith: number | undefined;
  private server: SMTPServer | undefined;
  private seq = 0;
  private waiters: (() => void)[] = [];
  private boundPort: number;

  constructor(private readonly options: MailCatcherOptions = {}) {
    this.boundPort = options.port ?? 0;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.boundPort}`;
  }

  async listen(): Promise<this> {
    const server = new SMTPServer({
      // Loopback only, no accounts: a catcher, not a relay.
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'two-factor console mail catcher',
      size: 1024 * 1024,
      logger: false,
      onData: (stream, _session, callback) => {
        void simpleParser(stream)
          .then((parsed) => {
            if (this.refuseWith !== undefined) {
              const refusal = Object.assign(new Error('Refused for now: try again later'), {
                responseCode: this.refuseWith,
              });
              callback(refusal);
              return;
            }
            this.keep(parsed);
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      },
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    this.boundPort = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  }

  /** Resolves once `count` messages have arrived in all (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<CaughtMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.seq < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages, ${this.seq} arrived`);
      await new Promise<void>((resolveWait) => {
        const timer = setTimeout(resolveWait, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolveWait();
        });
      });
    }
    return this.messages;
  }

  private keep(parsed: Awaited<ReturnType<typeof simpleParser>>): void {
    const addresses = (field: typeof parsed.to): string[] =>
      (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
        group.value.map((one) => one.address ?? ''),
      );
    const headers: Record<string, string> = {};
    for (const line of parsed.headerLines)
      headers[line.key] = line.line.slice(line.key.length + 1).trim();
    this.seq += 1;
    this.messages.push({
      seq: this.seq,
      at: Date.now(),
      from: parsed.from?.value[0]?.address ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      messageId: parsed.messageId ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      headers,
    });
    const keep = this.options.keep ?? 500;
    if (this.messages.length > keep) this.messages.splice(0, this.messages.length - keep);
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export { SMTP_TEMPORARY_FAILURE };
