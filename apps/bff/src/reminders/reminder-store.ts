import type { Database, Queryable } from '../db/database.js';
import type { Candidate, SkippedCounts } from './audience.js';
import type { ReminderFilter } from './reminder-schemas.js';

/** What a campaign keeps of its preview: who was reminded and who was left out, and why. */
export interface CampaignCounts {
  recipients: number;
  skipped: SkippedCounts;
  /** Servers that could not be read when it was sent (nobody on them was reminded). */
  unread: string[];
}

export interface CampaignSummary {
  id: number;
  createdAt: number;
  operator: string;
  filter: ReminderFilter;
  counts: CampaignCounts;
  /** Recipients on the servers asked about. */
  reminded: number;
  enrolledSince: number;
  delivery: { queued: number; sent: number; failed: number; unconfirmed: number };
}

/** The outbox key of one reminder: one message per campaign, server and account, ever. */
export const reminderKey = (campaign: number, server: string, user: string) =>
  `enrollment-reminder:${campaign}:${server}:${user}`;

/** The reminder tables (migration 011). */
export class ReminderStore {
  constructor(private readonly db: Database) {}

  /** `server:user` of the given accounts reminded since `since`, by any campaign. */
  async remindedSince(
    accounts: readonly Pick<Candidate, 'serverId' | 'user'>[],
    since: number,
    q: Queryable = this.db,
  ): Promise<Set<string>> {
    if (accounts.length === 0) return new Set();
    const rows = await q.query<{ server_id: string; username: string }>(
      `SELECT DISTINCT r.server_id, r.username FROM reminder_recipients r
       JOIN unnest($1::text[], $2::text[]) AS a(server_id, username)
         ON a.server_id = r.server_id AND a.username = r.username
       WHERE r.reminded_at >= $3`,
      [accounts.map((a) => a.serverId), accounts.map((a) => a.user), since],
    );
    return new Set(rows.map((row) => `${row.server_id}:${row.username}`));
  }

  /** In the audit record's transaction: the campaign and its recipients; returns its id. */
  async createIn(
    tx: Queryable,
    campaign: {
      at: number;
      operator: string;
      auditRecord: number;
      filter: ReminderFilter;
      counts: CampaignCounts;
      recipients: readonly Candidate[];
    },
  ): Promise<number> {
    const [row] = await tx.query<{ id: string | number }>(
      `INSERT INTO reminder_campaigns (created_at, operator, audit_record, filter, counts)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        campaign.at,
        campaign.operator,
        campaign.auditRecord,
        JSON.stringify(campaign.filter),
        JSON.stringify(campaign.counts),
      ],
    );
    const id = Number(row?.id);
    const { recipients } = campaign;
    await tx.query(
      `INSERT INTO reminder_recipients (campaign_id, server_id, username, address, reminded_at)
       SELECT $1, * , $5 FROM unnest($2::text[], $3::text[], $4::text[])`,
      [
        id,
        recipients.map((r) => r.serverId),
        recipients.map((r) => r.user),
        recipients.map((r) => r.address),
        campaign.at,
      ],
    );
    return id;
  }

  /**
   * Marks recipients the fleet index shows enrolled, from a reading taken after their reminder
   * (an older one only says what they had before it). Once seen enrolled, a recipient stays
   * counted: the campaign's question is whether it worked, not the account's state today.
   */
  async markEnrolledFromIndex(): Promise<void> {
    await this.db.query(
      `UPDATE reminder_recipients r SET enrolled_at = s.at
       FROM fleet_accounts f, fleet_snapshots s
       WHERE r.enrolled_at IS NULL
         AND f.server_id = r.server_id AND f.username = r.username AND f.two_factor = 'on'
         AND s.server_id = r.server_id AND s.reachable AND s.at > r.reminded_at`,
    );
  }

  /**
   * Newest first, counting only recipients on `serverIds` (the operator's servers). Delivery is
   * the outbox's, joined on the key `reminderKey` gives each message (its unique index).
   */
  async list(serverIds: readonly string[], limit: number): Promise<CampaignSummary[]> {
    const rows = await this.db.query<{
      id: string | number;
      created_at: string | number;
      operator: string;
      filter: string;
      counts: string;
      reminded: string | number;
      enrolled: string | number;
      queued: string | number;
      sent: string | number;
      failed: string | number;
      unconfirmed: string | number;
    }>(
      `SELECT c.id, c.created_at, c.operator, c.filter, c.counts,
         count(*) AS reminded, count(r.enrolled_at) AS enrolled,
         count(*) FILTER (WHERE o.status IN ('queued', 'sending')) AS queued,
         count(*) FILTER (WHERE o.status = 'sent') AS sent,
         count(*) FILTER (WHERE o.status = 'failed') AS failed,
         count(*) FILTER (WHERE o.status = 'unconfirmed') AS unconfirmed
       FROM reminder_campaigns c
       JOIN reminder_recipients r ON r.campaign_id = c.id AND r.server_id = ANY($1::text[])
       LEFT JOIN mail_outbox o ON o.idempotency_key =
         'enrollment-reminder:' || c.id || ':' || r.server_id || ':' || r.username
       GROUP BY c.id ORDER BY c.id DESC LIMIT $2`,
      [serverIds, limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      createdAt: Number(row.created_at),
      operator: row.operator,
      filter: JSON.parse(row.filter) as ReminderFilter,
      counts: JSON.parse(row.counts) as CampaignCounts,
      reminded: Number(row.reminded),
      enrolledSince: Number(row.enrolled),
      delivery: {
        queued: Number(row.queued),
        sent: Number(row.sent),
        failed: Number(row.failed),
        unconfirmed: Number(row.unconfirmed),
      },
    }));
  }
}
