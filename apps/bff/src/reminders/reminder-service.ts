import pLimit from 'p-limit';
import type { AuditLog } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import { AppError, errors } from '../errors.js';
import { mayUseServer, requireServer } from '../fleet/server-scope.js';
import { hostNameOf } from '../helpdesk/account-contacts.js';
import type { MailService } from '../mail/mail-service.js';
import type { MailSettingsStore } from '../mail/mail-settings.js';
import { enrollmentReminder } from '../mail/templates.js';
import type { OperatorRecord } from '../operators/operator-store.js';
import type { Actor } from '../sessions/session-service.js';
import type { WhmUpstream } from '../whm/upstream.js';
import { faultOf, readAudience, type Candidate, type SkippedCounts } from './audience.js';
import type { ReminderFilter } from './reminder-schemas.js';
import { reminderKey, type CampaignCounts, type ReminderStore } from './reminder-store.js';

/** No account is reminded twice within this, whichever campaigns it falls into. */
export const REMIND_AGAIN_AFTER_MS = 7 * 86_400_000;
/** How many of the recipients the preview names (the count is of all of them). */
export const PREVIEW_NAMES = 50;
const CAMPAIGNS_LISTED = 50;

const nobodyLeft = () => new AppError('conflict', 'Nobody matches this filter for a reminder now.');

export interface Selection {
  servers: { id: string; label: string; recipients: number }[];
  recipients: Candidate[];
  skipped: SkippedCounts;
  enrolled: number;
  unread: { server: string; label: string; fault: string }[];
}

export interface ReminderServiceDeps {
  upstreams: ReadonlyMap<string, WhmUpstream>;
  store: ReminderStore;
  mail: MailService;
  settings: MailSettingsStore;
  audit: AuditLog;
  /** Servers read at once (FLEET_CONCURRENCY). */
  concurrency: number;
  clock: () => number;
}

/**
 * Enrollment reminders: who would get one (read live from WHM), sending them as a campaign (the
 * outbox messages in the audit record's transaction, delivered at the mail worker's rate), and
 * how many of each campaign's recipients have enrolled since (from the fleet index).
 */
export class ReminderService {
  constructor(private readonly deps: ReminderServiceDeps) {}

  /** The servers a filter names, each one the operator may use (403 for one it may not). */
  private serversOf(operator: Pick<OperatorRecord, 'serverTags'>, filter: ReminderFilter) {
    const all = [...this.deps.upstreams.values()];
    if (filter.servers) {
      return [...new Set(filter.servers)].map((id) => {
        const upstream = this.deps.upstreams.get(id);
        if (!upstream) throw errors.invalidParams('servers', `servers: there is no server ${id}`);
        requireServer(operator, upstream.server);
        return upstream;
      });
    }
    return all.filter(
      (upstream) =>
        mayUseServer(operator, upstream.server) &&
        (filter.tag === undefined || (upstream.server.tags ?? []).includes(filter.tag)),
    );
  }

  async select(
    operator: Pick<OperatorRecord, 'serverTags'>,
    filter: ReminderFilter,
  ): Promise<Selection> {
    const upstreams = this.serversOf(operator, filter);
    const limit = pLimit(this.deps.concurrency);
    const read = await Promise.all(
      upstreams.map((upstream) =>
        limit(async () => {
          try {
            return { upstream, audience: await readAudience(upstream, filter), fault: '' };
          } catch (error) {
            return { upstream, audience: undefined, fault: faultOf(error) };
          }
        }),
      ),
    );
    const selection: Selection = {
      servers: [],
      recipients: [],
      skipped: { noFeature: 0, suspended: 0, noAddress: 0, remindedRecently: 0 },
      enrolled: 0,
      unread: [],
    };
    const candidates: Candidate[] = [];
    for (const one of read) {
      const { server } = one.upstream;
      if (!one.audience) {
        selection.unread.push({ server: server.id, label: server.label, fault: one.fault });
        continue;
      }
      const { audience } = one;
      candidates.push(...audience.candidates);
      selection.servers.push({ id: server.id, label: server.label, recipients: 0 });
      selection.enrolled += audience.enrolled;
      selection.skipped.noFeature += audience.skipped.noFeature;
      selection.skipped.suspended += audience.skipped.suspended;
      selection.skipped.noAddress += audience.skipped.noAddress;
    }
    const recent = await this.deps.store.remindedSince(
      candidates,
      this.deps.clock() - REMIND_AGAIN_AFTER_MS,
    );
    selection.recipients = candidates.filter((c) => !recent.has(`${c.serverId}:${c.user}`));
    selection.skipped.remindedRecently = candidates.length - selection.recipients.length;
    for (const server of selection.servers) {
      server.recipients = selection.recipients.filter((r) => r.serverId === server.id).length;
    }
    return selection;
  }

  async preview(actor: Actor, filter: ReminderFilter) {
    const selection = await this.select(actor.operator, filter);
    const labels = new Map(selection.servers.map((s) => [s.id, s.label]));
    return {
      mail: this.deps.mail.mode,
      recipients: selection.recipients.length,
      skipped: selection.skipped,
      enrolled: selection.enrolled,
      servers: selection.servers,
      unread: selection.unread,
      remindAgainAfterDays: REMIND_AGAIN_AFTER_MS / 86_400_000,
      names: selection.recipients.slice(0, PREVIEW_NAMES).map((r) => ({
        server: r.serverId,
        serverLabel: labels.get(r.serverId) ?? r.serverId,
        user: r.user,
        domain: r.domain,
        owner: r.owner,
        plan: r.plan,
      })),
    };
  }

  /**
   * Selects again (the preview may be minutes old), then writes the campaign, its recipients and
   * one outbox message each with the audit record. The audit head's lock orders concurrent sends,
   * so the "reminded recently" check made inside the transaction sees any campaign committed
   * before it: two admins sending at once do not mail an account twice.
   */
  async send(actor: Actor, filter: ReminderFilter) {
    const { mail, settings, store, audit, clock } = this.deps;
    if (!mail.enabled) {
      throw new AppError('mail_off', 'Mail is not set up (SMTP_URL), so no reminder can be sent.');
    }
    const selection = await this.select(actor.operator, filter);
    if (selection.recipients.length === 0) throw nobodyLeft();
    const configured = (await settings.get()).hostName;
    const hosts = new Map<string, string>();
    for (const { id } of selection.servers.filter((s) => s.recipients > 0)) {
      const upstream = this.deps.upstreams.get(id);
      if (upstream) hosts.set(id, await hostNameOf(upstream, configured));
    }
    const at = clock();
    const sent = await audit.appendWith(
      {
        ...auditBase(actor, null, null),
        kind: 'operator',
        target: [],
        outcome: 'success',
        detail: {
          action: 'enrollment_reminders',
          filter,
          recipients: selection.recipients.length,
          skipped: selection.skipped,
          unread: selection.unread.map((u) => u.server),
        },
      },
      async (tx, record) => {
        const recent = await store.remindedSince(
          selection.recipients,
          at - REMIND_AGAIN_AFTER_MS,
          tx,
        );
        const recipients = selection.recipients.filter(
          (r) => !recent.has(`${r.serverId}:${r.user}`),
        );
        // Another admin's campaign took them all meanwhile: no empty campaign, no record of one.
        if (recipients.length === 0) throw nobodyLeft();
        const counts: CampaignCounts = {
          recipients: recipients.length,
          skipped: {
            ...selection.skipped,
            remindedRecently: selection.skipped.remindedRecently + recent.size,
          },
          unread: selection.unread.map((u) => u.server),
        };
        const id = await store.createIn(tx, {
          at,
          operator: actor.operator.username,
          auditRecord: record.id,
          filter,
          counts,
          recipients,
        });
        for (const recipient of recipients) {
          const message = enrollmentReminder({
            account: recipient.user,
            domain: recipient.domain,
            host: hosts.get(recipient.serverId) ?? recipient.serverId,
          });
          await mail.enqueueIn(tx, {
            key: reminderKey(id, recipient.serverId, recipient.user),
            kind: 'enrollment_reminder',
            to: recipient.address,
            ...message,
            serverId: recipient.serverId,
            account: recipient.user,
          });
        }
        return { id, at, counts };
      },
    );
    mail.kick();
    return {
      campaign: sent.id,
      createdAt: new Date(sent.at).toISOString(),
      recipients: sent.counts.recipients,
      skipped: sent.counts.skipped,
      unread: selection.unread,
    };
  }

  /** The campaigns with their recipients on the operator's servers, enrolled-since fresh. */
  async list(operator: Pick<OperatorRecord, 'serverTags'>) {
    const visible = [...this.deps.upstreams.values()]
      .map((upstream) => upstream.server)
      .filter((server) => mayUseServer(operator, server))
      .map((server) => server.id);
    await this.deps.store.markEnrolledFromIndex();
    const campaigns = await this.deps.store.list(visible, CAMPAIGNS_LISTED);
    return {
      campaigns: campaigns.map((c) => ({
        id: c.id,
        createdAt: new Date(c.createdAt).toISOString(),
        operator: c.operator,
        filter: c.filter,
        reminded: c.reminded,
        enrolledSince: c.enrolledSince,
        skipped: c.counts.skipped,
        delivery: c.delivery,
      })),
    };
  }
}
