import nodemailer from 'nodemailer';
import type { Database, Queryable } from '../db/database.js';
import type { Logger } from '../logger.js';
import { MailCatcher, type CaughtMail } from './mail-catcher.js';
import { MailWorker, type MailWorkerOptions } from './mail-worker.js';
import {
  OutboxStore,
  type MailStatus,
  type OutboxCounts,
  type OutboxMessage,
  type OutgoingMail,
} from './outbox-store.js';

/** Where mail goes: a real SMTP server (SMTP_URL) or demo mode's catcher. */
export interface SmtpSettings {
  url: string;
  from: string;
}

export type MailMode = 'smtp' | 'demo' | 'off';

export interface MailStatusView {
  mode: MailMode;
  /** The sender as configured (never the URL: it may carry a password). */
  from: string | null;
  counts: OutboxCounts;
}

export interface MailServiceOptions {
  db: Database;
  logger: Logger;
  clock?: () => number;
  smtp: SmtpSettings | undefined;
  /** Demo mode: start a catcher and send there. */
  demo: boolean;
  ratePerMinute: number;
  /** Tests: faster polls and retries, the crash hook. */
  worker?: Partial<
    Pick<
      MailWorkerOptions,
      'pollMs' | 'backoffBaseMs' | 'maxAttempts' | 'leaseMs' | 'afterHandOver'
    >
  >;
}

const DEMO_FROM = 'Demo Hosting <support@demo-hosting.invalid>';
/** The right-hand side of our Message-IDs. */
const MESSAGE_DOMAIN = 'twofactor-console.invalid';

/**
 * Mail to account holders: the outbox (written with the audit record that causes a message), the
 * worker that delivers it, and in demo mode the catcher that shows what was sent.
 */
export class MailService {
  readonly outbox: OutboxStore;
  private worker: MailWorker | undefined;
  private catcher: MailCatcher | undefined;
  private settings: SmtpSettings | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: MailServiceOptions) {
    this.outbox = new OutboxStore(options.db, MESSAGE_DOMAIN);
    this.clock = options.clock ?? Date.now;
    this.settings = options.smtp;
  }

  get mode(): MailMode {
    if (this.options.demo && !this.options.smtp) return 'demo';
    return this.settings ? 'smtp' : 'off';
  }

  get enabled(): boolean {
    return this.mode !== 'off';
  }

  /** Demo mode's catcher: what the account holders received. */
  get demoMailbox(): readonly CaughtMail[] | undefined {
    return this.catcher?.messages;
  }

  async start(): Promise<void> {
    if (this.mode === 'demo') {
      this.catcher = await new MailCatcher().listen();
      this.settings = { url: this.catcher.url, from: DEMO_FROM };
    }
    const settings = this.settings;
    if (!settings) return;
    // One connection, reused: a bulk removal's notices go out over it one after another.
    const transporter = nodemailer.createTransport(settings.url, { from: settings.from });
    this.worker = new MailWorker({
      store: this.outbox,
      logger: this.options.logger,
      ratePerMinute: this.options.ratePerMinute,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...this.options.worker,
      transport: async (message) => {
        await transporter.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Console-Mail-Kind': message.kind },
        });
      },
    });
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.catcher?.close();
  }

  /** Queues a message in the caller's transaction; false when mail is off (nothing queued). */
  async enqueueIn(tx: Queryable, mail: OutgoingMail): Promise<boolean> {
    if (!this.enabled) return false;
    await this.outbox.enqueueIn(tx, mail, this.clock());
    return true;
  }

  /** After the transaction that queued messages committed: deliver now, not at the next poll. */
  kick(): void {
    this.worker?.kick();
  }

  /** Tests: deliver what is due now and wait for it. */
  async deliverNow(): Promise<void> {
    await this.worker?.runOnce();
  }

  async status(): Promise<MailStatusView> {
    return {
      mode: this.mode,
      from: this.settings?.from ?? null,
      counts: await this.outbox.counts(),
    };
  }

  list(options: {
    status?: MailStatus | undefined;
    before?: number | undefined;
    limit: number;
  }): Promise<OutboxMessage[]> {
    return this.outbox.list(options);
  }

  async retry(id: number): Promise<OutboxMessage | undefined> {
    const message = await this.outbox.retry(id, this.clock());
    if (message) this.kick();
    return message;
  }
}
