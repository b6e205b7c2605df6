import type { Queryable } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { MailService } from '../mail/mail-service.js';
import type { MailSettingsStore } from '../mail/mail-settings.js';
import { removalNotice, type NoticeWording } from '../mail/templates.js';
import type { Actor } from '../sessions/session-service.js';
import type { WhmUpstream } from '../whm/upstream.js';
import { hostNameOf, readContacts, type AccountContact } from './account-contacts.js';
import type { CallerVerifications, VerificationNote } from './caller-verification.js';
import type { VerificationMethod } from './verification-schemas.js';

/** Who will be told of a removal, read before it (WHM's contact addresses). */
export interface NoticePlan {
  host: string;
  /** Read before the outcome's transaction: nothing but `tx` may be queried inside it. */
  wording: NoticeWording;
  contacts: Map<string, AccountContact>;
  /** Why no notice can go out at all (mail off, WHM's list unreadable), else null. */
  unavailable: string | null;
}

/** What the removal's outcome record says of the notices. */
export interface NoticeSummary {
  queued: number;
  /** Removed accounts without a contact address: nobody could be told. */
  withoutAddress: string[];
  unavailable?: string;
}

/**
 * The removal's helpdesk side (removal.ts calls it): the caller's verification before, and the
 * account holders' notices after, queued with the outcome record.
 */
export class Helpdesk {
  constructor(
    private readonly deps: {
      verifications: CallerVerifications;
      mail: MailService;
      settings: MailSettingsStore;
      logger: Logger;
      clock: () => number;
    },
  ) {}

  verify(
    actor: Actor,
    server: string,
    targets: readonly string[],
    given: { method: VerificationMethod; ref: string } | null,
  ): Promise<VerificationNote> {
    return this.deps.verifications.beforeRemoval(actor, server, targets, given);
  }

  async planNotices(upstream: WhmUpstream, targets: readonly string[]): Promise<NoticePlan> {
    const settings = await this.deps.settings.get();
    const wording = {
      subject: settings.noticeSubject,
      paragraph: settings.noticeParagraph,
      contact: settings.contact,
    };
    if (!this.deps.mail.enabled) {
      return { host: '', wording, contacts: new Map(), unavailable: 'mail is off' };
    }
    const host = await hostNameOf(upstream, settings.hostName);
    try {
      return { host, wording, contacts: await readContacts(upstream, targets), unavailable: null };
    } catch (error) {
      // The removal still goes ahead (a locked-out customer waits on it); the record says so.
      this.deps.logger.warn({ err: error }, 'contact addresses not read: no removal notices');
      return {
        host,
        wording,
        contacts: new Map(),
        unavailable: "WHM's account list could not be read",
      };
    }
  }

  summarise(plan: NoticePlan, removed: readonly string[]): NoticeSummary {
    if (plan.unavailable !== null) {
      return { queued: 0, withoutAddress: [], unavailable: plan.unavailable };
    }
    const withoutAddress = removed.filter((user) => !plan.contacts.get(user)?.email);
    return { queued: removed.length - withoutAddress.length, withoutAddress };
  }

  /** In the outcome record's transaction: one notice per removed account with an address. */
  async queueNotices(
    tx: Queryable,
    plan: NoticePlan,
    server: string,
    removed: readonly string[],
    recordId: number,
  ): Promise<void> {
    if (plan.unavailable !== null) return;
    const at = this.deps.clock();
    for (const user of removed) {
      const contact = plan.contacts.get(user);
      if (!contact?.email) continue;
      const message = removalNotice({
        account: user,
        domain: contact.domain,
        host: plan.host,
        at,
        wording: plan.wording,
      });
      await this.deps.mail.enqueueIn(tx, {
        // One notice per account per removal record, however often anything is retried.
        key: `removal-notice:${recordId}:${server}:${user}`,
        kind: 'removal_notice',
        to: contact.email,
        ...message,
        serverId: server,
        account: user,
      });
    }
  }

  delivered(): void {
    this.deps.mail.kick();
  }
}
