import { roleWithArticle } from '../../../lib/roles';
import type { AuditRecord } from '../api/get-audit';

/** A record's sentence: who did what to whom. `targets` is where the names go (a count if many). */
export interface RecordSentence {
  text: string;
  /** The target names when the sentence shows only their count. */
  collapsed: string[] | null;
}

/** More names than this read as a count, with the list on demand. */
export const NAMES_IN_SENTENCE = 3;

const WHM_ACTIONS: Record<string, { did: string; tried: string }> = {
  twofactorauth_remove_user_config: { did: 'removed 2FA from', tried: 'remove 2FA from' },
  twofactorauth_enable_policy: { did: 'turned the 2FA policy on', tried: 'turn the 2FA policy on' },
  twofactorauth_disable_policy: {
    did: 'turned the 2FA policy off',
    tried: 'turn the 2FA policy off',
  },
  twofactorauth_set_issuer: { did: 'changed the 2FA issuer', tried: 'change the 2FA issuer' },
  twofactorauth_generate_tfa_config: {
    did: 'generated a 2FA secret for the WHM user',
    tried: 'generate a 2FA secret for the WHM user',
  },
  twofactorauth_set_tfa_config: {
    did: 'set up 2FA for the WHM user',
    tried: 'set up 2FA for the WHM user',
  },
};

function names(list: string[], noun: string): { text: string; collapsed: string[] | null } {
  if (list.length <= NAMES_IN_SENTENCE) return { text: list.join(', '), collapsed: null };
  return { text: `${list.length} ${noun}`, collapsed: list };
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function withReason(text: string, record: AuditRecord): string {
  return record.reason ? `${text} (reason: ${record.reason})` : text;
}

function whmSentence(record: AuditRecord, who: string): RecordSentence {
  const fn = record.function ?? 'a WHM function';
  const action = WHM_ACTIONS[fn] ?? { did: `called ${fn}`, tried: `call ${fn}` };
  const on = record.server ? ` on ${record.server}` : '';
  const accounts = names(record.target, 'accounts');
  const object = accounts.text ? ` ${accounts.text}` : '';
  const error = str(record.detail.error);
  let text: string;
  if (record.kind === 'intent') text = `${who} started to ${action.tried}${object}${on}`;
  else if (record.outcome === 'success') text = `${who} ${action.did}${object}${on}`;
  else if (record.outcome === 'partial') {
    text = `${who} ${action.did}${object}${on}, with some failures`;
  } else if (record.outcome === 'unknown') {
    text = `${who} tried to ${action.tried}${object}${on}; WHM's answer is unknown`;
  } else text = `${who} failed to ${action.tried}${object}${on}${error ? `: ${error}` : ''}`;
  return { text: withReason(text, record), collapsed: accounts.collapsed };
}

function sessionSentence(record: AuditRecord, who: string): RecordSentence {
  const event = str(record.detail.event);
  const ok = record.outcome === 'success';
  if (event === 'login') {
    if (ok) return { text: `${who} signed in`, collapsed: null };
    if (record.detail.code === 'totp_enrollment_expired') {
      return {
        text: `${who} could not sign in: the time to set up TOTP has passed`,
        collapsed: null,
      };
    }
    return { text: `a sign-in as ${who} failed`, collapsed: null };
  }
  if (event === 'logout') return { text: `${who} signed out`, collapsed: null };
  if (event === 'step_up') {
    return {
      text: ok ? `${who} confirmed it is them (step-up)` : `${who} failed a step-up`,
      collapsed: null,
    };
  }
  return { text: `${who}: session ${event ?? 'event'}`, collapsed: null };
}

function operatorSentence(record: AuditRecord, who: string): RecordSentence {
  const target = record.target[0] ?? 'an operator';
  const detail = record.detail;
  const role = str(detail.role);
  const ended = typeof detail.ended === 'number' ? detail.ended : null;
  const sessions = ended === null ? '' : ` (${ended} ${ended === 1 ? 'session' : 'sessions'})`;
  const text = ((): string => {
    switch (str(detail.action)) {
      case 'create':
        return `${who} added ${target}${role ? ` as ${roleWithArticle(role)}` : ''}`;
      case 'update': {
        const before = (detail.before ?? {}) as { role?: string; disabled?: boolean };
        const after = (detail.after ?? {}) as { role?: string; disabled?: boolean };
        const parts: string[] = [];
        if (after.role !== before.role) parts.push(`changed ${target}'s role to ${after.role}`);
        if (after.disabled !== before.disabled) {
          parts.push(`${after.disabled ? 'disabled' : 'enabled'} ${target}`);
        }
        return `${who} ${parts.length ? parts.join(' and ') : `changed nothing on ${target}`}`;
      }
      case 'delete':
        return `${who} deleted ${target}${role ? ` (${roleWithArticle(role)})` : ''}${sessions}`;
      case 'end_sessions':
        return `${who} ended the sessions of ${target}${sessions}`;
      case 'remove_totp':
        return `${who} removed the TOTP of ${target}`;
      case 'reset_password':
        return `${who} reset the password of ${target}${sessions}`;
      case 'settings':
        return detail.requireOperatorTotp === true
          ? `${who} required TOTP for every operator (grace period ${typeof detail.totpGraceDays === 'number' ? detail.totpGraceDays : '?'} days)`
          : `${who} made TOTP optional for operators`;
      case 'change_own_password':
        return `${who} changed their own password${sessions ? `, signing out ${ended} other ${ended === 1 ? 'session' : 'sessions'}` : ''}`;
      case 'enroll_own_totp':
        return `${who} set up their own TOTP`;
      case 'remove_own_totp':
        return `${who} turned off their own TOTP`;
      case 'setup_first_admin':
        if (record.outcome === 'success')
          return `${who} became the first admin with the setup link`;
        return detail.code === 'setup_token_expired'
          ? `${who} tried an expired setup link`
          : `${who} tried a wrong setup link`;
      case 'end_own_session':
      case 'end_own_sessions':
        return `${who} ended their own other sessions${sessions}`;
      default:
        return `${who} changed operator ${target} (${str(detail.action) ?? 'unknown action'})`;
    }
  })();
  return { text, collapsed: null };
}

/** One human sentence for an audit record, e.g. "support removed 2FA from bakery10 (reason: …)". */
export function describeRecord(record: AuditRecord): RecordSentence {
  const who = record.operator === 'cli' ? 'the command line' : (record.operator ?? 'someone');
  switch (record.kind) {
    case 'intent':
    case 'outcome':
      return whmSentence(record, who);
    case 'denied': {
      const code = str(record.detail.code) ?? 'refused';
      if (code === 'denials_summarised') {
        const more = typeof record.detail.more === 'number' ? record.detail.more : null;
        return {
          text: `${who} was refused ${more === null ? 'more' : more.toLocaleString('en')} more requests in a minute (recorded as one)`,
          collapsed: null,
        };
      }
      const what = record.function ? ` ${record.function}` : ' a request';
      const accounts = names(record.target, 'accounts');
      const on = accounts.text ? ` on ${accounts.text}` : '';
      return { text: `${who} was refused${what}${on} (${code})`, collapsed: accounts.collapsed };
    }
    case 'session':
      return sessionSentence(record, who);
    case 'operator':
      return operatorSentence(record, who);
    case 'chain':
      return {
        text: `the console sealed the ${typeof record.detail.sealed === 'number' ? record.detail.sealed.toLocaleString('en') : 'earlier'} records before it under the audit key`,
        collapsed: null,
      };
    default:
      return { text: `${who}: ${String(record.kind)}`, collapsed: null };
  }
}
