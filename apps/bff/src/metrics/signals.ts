import diagnosticsChannel from 'node:diagnostics_channel';

// What the console's parts report for metrics, as Node diagnostics channels: a part publishes
// without knowing about Prometheus, and publishing costs one check when nobody listens (metrics
// off). Channels are per process: two consoles in one process (tests only) would count together.
//
// No message carries a user name, an account, a token or a secret: only what may become a label.

export interface UpstreamCallSignal {
  /** The configured server id (WHM_SERVERS_FILE's `id`, `main`, `local`). */
  server: string;
  fn: string;
  seconds: number;
  /** The HTTP status WHM answered with, or the fault. */
  outcome: string;
  /** Set when WHM gave no HTTP answer: `timeout`, `network`, `tls`, `too_large`, `error`. */
  fault?: string;
}

export interface SharedReadJoinSignal {
  server: string;
  fn: string;
}

export interface AuditWriteSignal {
  /** The record's kind (`session`, `whm`, `operator`…). */
  kind: string;
  /** `success`, `failure`, `denied`… (`none` when the record has none). */
  outcome: string;
}

export interface LoginFailureSignal {
  /** `password`, `totp`, `disabled`… never the user name tried. */
  reason: string;
}

export interface ThrottleSignal {
  /** Which limit refused: `login:user`, `login:addr`, `stepup`, `setup:addr`, `search`… */
  limiter: string;
}

export const signals = {
  upstreamCall: diagnosticsChannel.channel('whm-console:upstream-call'),
  sharedReadJoin: diagnosticsChannel.channel('whm-console:shared-read-join'),
  auditWrite: diagnosticsChannel.channel('whm-console:audit-write'),
  loginFailure: diagnosticsChannel.channel('whm-console:login-failure'),
  throttle: diagnosticsChannel.channel('whm-console:throttle'),
} as const;

type Channel = (typeof signals)[keyof typeof signals];

/** Publishes only when someone listens, so the message is not even built otherwise. */
export function signal<T>(channel: Channel, message: () => T): void {
  if (channel.hasSubscribers) channel.publish(message());
}

/** The limiter a throttle key names: its known prefix, never the rest (user names, addresses). */
const LIMITERS = [
  'login:user',
  'login:addr',
  'setup:addr',
  'stepup',
  'password',
  'totp',
  'verify:account',
  'verify:operator',
] as const;

export function limiterOf(key: string): string {
  return LIMITERS.find((prefix) => key.startsWith(`${prefix}:`)) ?? 'other';
}
