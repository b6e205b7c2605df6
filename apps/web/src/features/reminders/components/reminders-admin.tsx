import { useId, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api-client';
import { countOf, formatCount } from '../../../lib/format';
import { useFleet } from '../../fleet/api/fleet';
import {
  usePreviewReminders,
  useReminderCampaigns,
  useSendReminders,
  type ReminderCampaign,
  type ReminderFilter,
  type ReminderPreview,
  type SkippedCounts,
} from '../api/reminders';

type Scope = 'all' | 'tag' | 'servers';

const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });

/** "3 Dec": a campaign is remembered by its day. */
export function campaignDay(instant: string): string {
  return day.format(new Date(instant));
}

const SKIPPED: readonly [keyof SkippedCounts, string][] = [
  ['remindedRecently', 'reminded recently'],
  ['noAddress', 'no contact address in WHM'],
  ['noFeature', 'their package has no 2FA'],
  ['suspended', 'suspended'],
];

function skippedText(skipped: SkippedCounts): string {
  const parts = SKIPPED.filter(([key]) => skipped[key] > 0).map(
    ([key, why]) => `${formatCount(skipped[key])} ${why}`,
  );
  return parts.length > 0 ? parts.join(' · ') : 'nobody';
}

/**
 * `/reminders` (admin): choose accounts without 2FA, see who would be told how to set it up in
 * cPanel, send it, and follow each campaign: how many have enrolled since.
 */
export function RemindersAdmin() {
  const preview = usePreviewReminders();
  // What the preview was of: "Send" sends exactly that, not what the form says since.
  const [asked, setAsked] = useState<ReminderFilter | null>(null);
  return (
    <div className="stack">
      <h1>Reminders</h1>
      <p className="muted">
        Remind the holders of accounts without two-factor authentication how to set it up in cPanel.
        Root, resellers, enrolled accounts and packages without 2FA are never included.
      </p>
      <FilterForm
        busy={preview.isPending}
        onChange={() => {
          preview.reset();
          setAsked(null);
        }}
        onPreview={(filter) => {
          setAsked(filter);
          preview.mutate(filter);
        }}
      />
      {preview.isPending ? <Loading label="Reading the servers…" /> : null}
      {preview.isError ? (
        <ErrorPanel
          error={preview.error}
          title="The preview failed"
          onRetry={asked ? () => preview.mutate(asked) : undefined}
        />
      ) : null}
      {preview.data && asked ? (
        <PreviewCard
          preview={preview.data}
          filter={asked}
          onSent={() => {
            preview.reset();
            setAsked(null);
          }}
        />
      ) : null}
      <Campaigns />
    </div>
  );
}

function FilterForm({
  busy,
  onChange,
  onPreview,
}: {
  busy: boolean;
  onChange: () => void;
  onPreview: (filter: ReminderFilter) => void;
}) {
  const fleet = useFleet();
  const servers = fleet.data?.servers ?? [];
  const tags = [...new Set(servers.flatMap((s) => s.tags))].sort();
  const [scope, setScope] = useState<Scope>('all');
  const [tag, setTag] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [owner, setOwner] = useState('');
  const [plan, setPlan] = useState('');
  const ids = { tag: useId(), owner: useId(), plan: useId() };
  const change =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      onChange();
    };
  const incomplete =
    (scope === 'tag' && tag === '') || (scope === 'servers' && chosen.length === 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (incomplete) return;
    onPreview({
      ...(scope === 'tag' ? { tag } : {}),
      ...(scope === 'servers' ? { servers: chosen } : {}),
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(plan.trim() ? { plan: plan.trim() } : {}),
    });
  }

  return (
    <section className="card stack" aria-labelledby="reminder-filter">
      <h2 id="reminder-filter">Who</h2>
      <form className="stack" onSubmit={submit} aria-label="Reminder filter">
        <fieldset className="choices">
          <legend>Servers</legend>
          <label className="choice">
            <input
              type="radio"
              name="scope"
              checked={scope === 'all'}
              onChange={() => change(setScope)('all')}
            />
            <span>All my servers</span>
          </label>
          {tags.length > 0 ? (
            <label className="choice">
              <input
                type="radio"
                name="scope"
                checked={scope === 'tag'}
                onChange={() => change(setScope)('tag')}
              />
              <span>Servers with a tag</span>
            </label>
          ) : null}
          {scope === 'tag' ? (
            <label className="field" htmlFor={ids.tag}>
              <span>Tag</span>
              <select
                id={ids.tag}
                value={tag}
                onChange={(event) => change(setTag)(event.target.value)}
              >
                <option value="">Choose a tag</option>
                {tags.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {servers.length > 1 ? (
            <label className="choice">
              <input
                type="radio"
                name="scope"
                checked={scope === 'servers'}
                onChange={() => change(setScope)('servers')}
              />
              <span>Some servers</span>
            </label>
          ) : null}
          {scope === 'servers' ? (
            <div className="stack" role="group" aria-label="Servers to include">
              {servers.map((server) => (
                <label key={server.id} className="choice">
                  <input
                    type="checkbox"
                    checked={chosen.includes(server.id)}
                    onChange={(event) =>
                      change(setChosen)(
                        event.target.checked
                          ? [...chosen, server.id]
                          : chosen.filter((id) => id !== server.id),
                      )
                    }
                  />
                  <span>{server.label}</span>
                </label>
              ))}
            </div>
          ) : null}
          {fleet.isError ? (
            <p className="muted small">
              The server list could not be read: only “All my servers” is offered.
            </p>
          ) : null}
        </fieldset>
        <label className="field" htmlFor={ids.owner}>
          <span>Owner (optional)</span>
          <input
            id={ids.owner}
            value={owner}
            autoCapitalize="none"
            spellCheck={false}
            placeholder="root or a reseller"
            onChange={(event) => change(setOwner)(event.target.value)}
          />
        </label>
        <label className="field" htmlFor={ids.plan}>
          <span>Plan (optional)</span>
          <input
            id={ids.plan}
            value={plan}
            autoCapitalize="none"
            spellCheck={false}
            placeholder="a package name"
            onChange={(event) => change(setPlan)(event.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || incomplete}>
            {busy ? 'Previewing…' : 'Preview'}
          </button>
        </div>
      </form>
    </section>
  );
}

function PreviewCard({
  preview,
  filter,
  onSent,
}: {
  preview: ReminderPreview;
  filter: ReminderFilter;
  onSent: () => void;
}) {
  const send = useSendReminders();
  const toast = useToast();
  const n = preview.recipients;
  const error = isApiError(send.error) ? send.error : null;
  return (
    <section className="card stack" aria-labelledby="reminder-preview">
      <h2 id="reminder-preview">Preview</h2>
      <p data-testid="reminder-count">
        <strong>{countOf(n, 'account')}</strong> would get a reminder.
      </p>
      <p className="muted small">
        Left out: {skippedText(preview.skipped)}.{' '}
        {preview.enrolled > 0
          ? `${countOf(preview.enrolled, 'account')} already ${preview.enrolled === 1 ? 'has' : 'have'} 2FA. `
          : ''}
        Nobody is reminded twice within {preview.remindAgainAfterDays} days.
      </p>
      {preview.unread.length > 0 ? (
        <div role="alert" className="stack">
          <p className="form-error">
            Not read, so nobody there is included:{' '}
            {preview.unread.map((u) => `${u.label} (${u.fault})`).join('; ')}
          </p>
        </div>
      ) : null}
      {n === 0 ? (
        <p className="muted">Nobody to remind with this filter.</p>
      ) : (
        <>
          <ul className="mail-list" aria-label="Accounts to remind">
            {preview.names.map((name) => (
              <li key={`${name.server}:${name.user}`} className="mail-card">
                <strong>{name.user}</strong>
                <span className="small">
                  {name.domain} · {name.serverLabel} · owner {name.owner} · plan {name.plan || '—'}
                </span>
              </li>
            ))}
          </ul>
          {n > preview.names.length ? (
            <p className="muted small">
              The first {formatCount(preview.names.length)} of {formatCount(n)} are shown.
            </p>
          ) : null}
        </>
      )}
      {preview.mail === 'off' ? (
        <p className="form-error">Mail is off (SMTP_URL), so no reminder can be sent.</p>
      ) : null}
      <FormError error={error} />
      <div className="actions">
        <ConfirmButton
          label={send.isPending ? 'Sending…' : `Send ${countOf(n, 'reminder')}`}
          confirmLabel={`Send ${countOf(n, 'reminder')}`}
          disabled={n === 0 || preview.mail === 'off' || send.isPending}
          busy={send.isPending}
          onConfirm={() =>
            send.mutate(filter, {
              onSuccess: (sent) => {
                toast(`${countOf(sent.recipients, 'reminder')} queued.`);
                onSent();
              },
            })
          }
        >
          <p>
            Each of the {countOf(n, 'account')} gets one email at its contact address in WHM with
            how to set up two-factor authentication in cPanel. Mail goes out at the console’s
            sending rate; an account is not reminded again for {preview.remindAgainAfterDays} days.
          </p>
        </ConfirmButton>
      </div>
    </section>
  );
}

function Campaigns() {
  const campaigns = useReminderCampaigns();
  return (
    <section className="card stack" aria-labelledby="reminder-campaigns">
      <h2 id="reminder-campaigns">Sent reminders</h2>
      {campaigns.isError ? (
        <ErrorPanel error={campaigns.error} onRetry={() => void campaigns.refetch()} />
      ) : !campaigns.data ? (
        <Loading label="Loading the campaigns…" />
      ) : campaigns.data.campaigns.length === 0 ? (
        <p className="muted">No reminders have been sent yet.</p>
      ) : (
        <ul className="mail-list" aria-label="Campaigns">
          {campaigns.data.campaigns.map((campaign) => (
            <CampaignCard key={campaign.id} campaign={campaign} />
          ))}
        </ul>
      )}
    </section>
  );
}

function filterText(filter: ReminderFilter): string {
  const where = filter.servers
    ? `servers ${filter.servers.join(', ')}`
    : filter.tag
      ? `servers tagged ${filter.tag}`
      : 'all servers';
  const owner = filter.owner ? `owner ${filter.owner}` : '';
  const plan = filter.plan ? `plan ${filter.plan}` : '';
  return [where, owner, plan].filter(Boolean).join(' · ');
}

function CampaignCard({ campaign }: { campaign: ReminderCampaign }) {
  const { delivery } = campaign;
  return (
    <li className="mail-card">
      <strong>
        {formatCount(campaign.reminded)} reminded on {campaignDay(campaign.createdAt)},{' '}
        {formatCount(campaign.enrolledSince)} enrolled since
      </strong>
      <span className="small">
        {filterText(campaign.filter)} · by {campaign.operator}
      </span>
      <span className="muted small">
        {formatCount(delivery.sent)} sent
        {delivery.queued > 0 ? ` · ${formatCount(delivery.queued)} waiting` : ''}
        {delivery.failed > 0 ? ` · ${formatCount(delivery.failed)} failed` : ''}
        {delivery.unconfirmed > 0 ? ` · ${formatCount(delivery.unconfirmed)} unconfirmed` : ''}
      </span>
    </li>
  );
}
