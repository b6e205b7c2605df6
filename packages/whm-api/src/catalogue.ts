import { z } from 'zod';
import { flag, numberOrString } from './flags.js';
import {
  GENERATED_SECRET_PATTERN,
  ISSUER_PATTERN,
  SECRET_PATTERN,
  TFA_TOKEN_PATTERN,
  USERNAME_PATTERN,
  normalizeIssuer,
  whmReasons,
} from './rules.js';

export const username = z.string().regex(USERNAME_PATTERN, 'must be a cPanel user name');

const noParams = z.object({});

/** A user, or several: WHM's `user`, `user-0`, `user-1`, ... after decoding. */
const oneOrMoreUsers = z.union([username, z.array(username).min(1).max(1000)]);

const secretEntry = z.object({ secret: z.string() });
const accountTfaConfig = z.object({
  primary_account: secretEntry.optional(),
  email: z.record(z.string(), secretEntry).optional(),
  team: z.record(z.string(), secretEntry).optional(),
});

export const account = z.object({
  user: z.string(),
  domain: z.string(),
  owner: z.string(),
  email: z.string(),
  plan: z.string(),
  suspended: flag,
  suspendreason: z.string().nullable(),
  suspendtime: z.number().nullable(),
  unix_startdate: z.number(),
  startdate: z.string(),
  is_locked: flag,
  ip: z.string(),
  ipv6: z.array(z.string()),
  partition: z.string(),
  diskused: z.string(),
  disklimit: numberOrString,
  inodesused: numberOrString,
  inodeslimit: numberOrString,
  uid: z.number(),
  shell: z.string(),
  theme: z.string(),
  maxaddons: numberOrString,
  maxftp: numberOrString,
  maxlst: numberOrString,
  maxparked: numberOrString,
  maxpop: numberOrString,
  maxsql: numberOrString,
  maxsub: numberOrString,
  max_email_per_hour: numberOrString,
  max_emailacct_quota: numberOrString,
  max_defer_fail_percentage: numberOrString,
  min_defer_fail_to_trigger_protection: numberOrString,
  mailbox_format: z.string(),
  backup: flag,
  has_backup: flag,
  legacy_backup: flag,
  temporary: flag,
  is_temporary_domain: flag,
  outgoing_mail_hold: flag,
  outgoing_mail_suspended: flag,
  /** Linked-node workloads (`{workload, alias}`); `[]` for an account on this server only. */
  child_nodes: z.array(z.object({ workload: z.string(), alias: z.string() })),
});
/** `want` and `api.columns` trim an account to the fields asked for, so every field may be absent. */
export const listedAccount = account.partial();

const WANTED_SCHEMAS_KEPT = 64;
const wantedSchemas = new Map<string, z.ZodType>();

/**
 * The contract of `listaccts` asked with `want=a,b,c`: those fields, each optional. Checking an
 * account against every one of the ~40 fields when 5 were asked for cost 48 MB of garbage and
 * several milliseconds per 10,000 accounts (ADR 007); WHM sends only the fields asked for.
 */
function listedAccountsWith(want: string): z.ZodType | undefined {
  const cached = wantedSchemas.get(want);
  if (cached) return cached;
  const fields = want.split(',').filter((field) => Object.hasOwn(account.shape, field));
  if (fields.length === 0) return undefined;
  const mask = Object.fromEntries(fields.map((field) => [field, true])) as Partial<
    Record<keyof Account, true>
  >;
  const schema = z.object({ acct: z.array(account.pick(mask).partial()) });
  if (wantedSchemas.size >= WANTED_SCHEMAS_KEPT) wantedSchemas.clear();
  wantedSchemas.set(want, schema);
  return schema;
}
export type Account = z.output<typeof account>;
export type ListedAccount = z.output<typeof listedAccount>;
export const ACCOUNT_FIELDS = Object.keys(account.shape) as (keyof Account)[];

export const uapiTwoFactorAuthFunctions = [
  'get_user_configuration',
  'generate_user_configuration',
  'set_user_configuration',
  'remove_user_configuration',
] as const;
export type UapiTwoFactorAuthFunction = (typeof uapiTwoFactorAuthFunctions)[number];

/** The `data` of each UAPI `TwoFactorAuth` function, inside `data.uapi.data` of `uapi_cpanel`. */
export const uapiTwoFactorAuthData = {
  get_user_configuration: z.object({ is_enabled: flag, issuer: z.string().optional() }),
  generate_user_configuration: z.object({ secret: z.string(), otpauth_str: z.string() }),
  set_user_configuration: z.object({ tfa_configured: flag }),
  remove_user_configuration: z.object({ tfa_removed: flag }),
} satisfies Record<UapiTwoFactorAuthFunction, z.ZodType>;

export const uapiResult = z.object({
  status: flag,
  data: z.unknown(),
  errors: z.array(z.string()).nullable(),
  messages: z.array(z.string()).nullable(),
  warnings: z.array(z.string()).nullable(),
  metadata: z.object({ transformed: flag.optional() }).optional(),
});

export interface WhmFunctionSpec<
  P extends z.ZodObject = z.ZodObject,
  D extends z.ZodType = z.ZodType,
> {
  readonly name: string;
  readonly access: 'read' | 'write';
  /** Params after wire decoding. Unknown keys are dropped here; the BFF refuses them on its own side. */
  readonly params: P;
  /** Schema of `data`, or null where WHM sends no `data` key. */
  readonly data: D | null;
  /** What `data` means when WHM leaves the key out (listaccts with no match). */
  readonly emptyData?: () => z.input<D>;
  /**
   * A `result: 0` reason that only means "nothing matched" (listaccts' exact user search): read as
   * `emptyData`, not as a failure.
   */
  readonly noMatchReason?: string;
  /**
   * The contract of the answer to these params, where they make it narrower than `data`
   * (listaccts' `want`); undefined means `data`.
   */
  readonly dataFor?: (params: Readonly<Record<string, unknown>>) => z.ZodType | undefined;
  /** Params WHM repeats as `name`, `name-0`, `name-1`, ... (cPanel's form parser renames repeats so). */
  readonly multi?: readonly (keyof z.input<P> & string)[];
  /** `json` for the one function that takes a JSON body; everything else is a query or form. */
  readonly body?: 'form' | 'json';
  /** Takes WHM's generic `api.filter` / `api.sort` / `api.chunk` / `api.columns` options. */
  readonly outputOptions?: boolean;
  /**
   * `bridge` for the older `cpanel` function: no WHM envelope, the whole answer is `data`, and a
   * refusal is `{data: {reason, result: "0"}, type: "text", error}` (reference/WHM-2FA.md).
   */
  readonly answer?: 'envelope' | 'bridge';
}

/** Keeps `data: null` as `null` in the type, so `DataOf` is `undefined` only where WHM sends none. */
function spec<P extends z.ZodObject, D extends z.ZodType | null>(
  s: Omit<WhmFunctionSpec<P, NonNullable<D>>, 'data'> & { readonly data: D },
): WhmFunctionSpec<P, NonNullable<D>> & { readonly data: D } {
  return s;
}

const issuerParam = z
  .string()
  .max(256)
  .transform(normalizeIssuer)
  .refine((value) => value === '' || ISSUER_PATTERN.test(value), {
    message: 'must be 1 to 32 letters, digits, spaces, ".", "_" or "-" (empty resets it)',
  });

export const catalogue = {
  twofactorauth_policy_status: spec({
    name: 'twofactorauth_policy_status',
    access: 'read',
    params: noParams,
    data: z.object({ is_enabled: flag }),
  }),
  twofactorauth_enable_policy: spec({
    name: 'twofactorauth_enable_policy',
    access: 'write',
    params: noParams,
    data: null,
  }),
  twofactorauth_disable_policy: spec({
    name: 'twofactorauth_disable_policy',
    access: 'write',
    params: noParams,
    data: null,
  }),
  twofactorauth_get_issuer: spec({
    name: 'twofactorauth_get_issuer',
    access: 'read',
    params: noParams,
    data: z.object({ issuer: z.string(), system_wide_issuer: z.string() }),
  }),
  twofactorauth_set_issuer: spec({
    name: 'twofactorauth_set_issuer',
    access: 'write',
    params: z.object({ issuer: issuerParam.optional() }),
    data: null,
  }),
  twofactorauth_generate_tfa_config: spec({
    name: 'twofactorauth_generate_tfa_config',
    access: 'write',
    params: noParams,
    data: z.object({
      secret: z.string().regex(GENERATED_SECRET_PATTERN),
      otpauth_str: z.string().startsWith('otpauth://totp/'),
    }),
  }),
  twofactorauth_set_tfa_config: spec({
    name: 'twofactorauth_set_tfa_config',
    access: 'write',
    params: z.object({
      secret: z.string().max(128).regex(SECRET_PATTERN, 'must be base32 (A-Z, 2-7)'),
      tfa_token: z.string().regex(TFA_TOKEN_PATTERN, 'must be 6 digits'),
    }),
    data: z.object({ success: flag }),
  }),
  twofactorauth_get_user_configs: spec({
    name: 'twofactorauth_get_user_configs',
    access: 'read',
    params: z.object({ user: username.optional() }),
    data: z.record(z.string(), z.object({ is_enabled: flag, primary_domain: z.string() })),
  }),
  twofactorauth_remove_user_config: spec({
    name: 'twofactorauth_remove_user_config',
    access: 'write',
    params: z.object({ user: oneOrMoreUsers }),
    multi: ['user'],
    data: z.object({
      users_modified: z.array(z.string()),
      failed: z.record(z.string(), z.string()),
    }),
  }),
  twofactorauth_get_tfa_config_for_user: spec({
    name: 'twofactorauth_get_tfa_config_for_user',
    access: 'read',
    params: z.object({ user: username }),
    data: z.record(z.string(), accountTfaConfig),
  }),
  twofactorauth_set_tfa_config_for_user: spec({
    name: 'twofactorauth_set_tfa_config_for_user',
    access: 'write',
    params: z.object({ config: z.record(username, accountTfaConfig) }),
    body: 'json',
    data: null,
  }),
  listaccts: spec({
    name: 'listaccts',
    access: 'read',
    params: z.object({
      search: z.string().max(256).optional(),
      searchtype: z
        .enum(['domain', 'owner', 'user', 'ip', 'package', 'domain_and_user'])
        .optional(),
      searchmethod: z.enum(['exact', 'regex']).optional(),
      want: z
        .string()
        .max(1024)
        .regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/, 'must be a comma-separated list of fields')
        .optional(),
    }),
    outputOptions: true,
    data: z.object({ acct: z.array(listedAccount) }),
    emptyData: () => ({ acct: [] }),
    noMatchReason: whmReasons.noAccountsFound,
    dataFor: ({ want }) => (typeof want === 'string' ? listedAccountsWith(want) : undefined),
  }),
  /** Every reseller on the server (`Whostmgr/API/1/Resellers.pm`): in no set order, owning accounts or not. */
  listresellers: spec({
    name: 'listresellers',
    access: 'read',
    params: noParams,
    data: z.object({ reseller: z.array(z.string()) }),
  }),
  /**
   * The packages the caller may see (`Whostmgr/API/1/Packages.pm` listpkgs, `Whostmgr/Packages/Fetch.pm`),
   * sorted by name, `default` always among them. Each record is the package file's keys, upper
   * case, with `name` added; `FEATURELIST` is filled in with `default` when the file has none.
   */
  listpkgs: spec({
    name: 'listpkgs',
    access: 'read',
    params: z.object({ want: z.enum(['creatable', 'editable', 'viewable', 'all']).optional() }),
    data: z.object({
      pkg: z.array(
        z.object({
          name: z.string(),
          FEATURELIST: z.string(),
          QUOTA: numberOrString.optional(),
          BWLIMIT: numberOrString.optional(),
        }),
      ),
    }),
  }),
  /**
   * One feature list, every feature the server knows (`Whostmgr/API/1/FeatureLists.pm`,
   * `Cpanel/Features.pm` get_featurelist_information): `value` is the list's entry or `1`,
   * `is_disabled` is 1 when the `disabled` list (which overrides every list) names the feature.
   * A feature is available on the list when `value` is `1` and `is_disabled` 0.
   */
  get_featurelist_data: spec({
    name: 'get_featurelist_data',
    access: 'read',
    params: z.object({ featurelist: z.string().min(1).max(256) }),
    data: z.object({
      featurelist: z.string(),
      features: z.array(
        z.object({ id: z.string(), is_disabled: flag, value: z.union([z.string(), z.number()]) }),
      ),
    }),
  }),
  uapi_cpanel: spec({
    name: 'uapi_cpanel',
    access: 'write',
    params: z.object({
      'cpanel.user': username,
      'cpanel.module': z.literal('TwoFactorAuth'),
      'cpanel.function': z.enum(uapiTwoFactorAuthFunctions),
      secret: z.string().max(128).optional(),
      tfa_token: z.string().max(16).optional(),
    }),
    data: z.object({ uapi: uapiResult }),
  }),
  /**
   * The older bridge to UAPI (`json-api/cpanel`), as cPanel's own Perl client sends it: same
   * access, feature and UAPI rules as `uapi_cpanel`, its own answer shape. Only UAPI (`3`) is in
   * the contract; API 2 is deprecated and not spoken here.
   */
  cpanel: spec({
    name: 'cpanel',
    access: 'write',
    answer: 'bridge',
    params: z.object({
      cpanel_jsonapi_user: username,
      cpanel_jsonapi_module: z.literal('TwoFactorAuth'),
      cpanel_jsonapi_func: z.enum(uapiTwoFactorAuthFunctions),
      cpanel_jsonapi_apiversion: z.union([z.literal(3), z.literal('3')]),
      secret: z.string().max(128).optional(),
      tfa_token: z.string().max(16).optional(),
    }),
    data: z.object({
      module: z.string(),
      func: z.string(),
      apiversion: z.union([z.literal(3), z.literal('3')]),
      result: uapiResult,
    }),
  }),
} as const;

export type Catalogue = typeof catalogue;
export type WhmFunctionName = keyof Catalogue;
export const whmFunctionNames = Object.keys(catalogue) as WhmFunctionName[];

export type ParamsOf<F extends WhmFunctionName> = z.input<Catalogue[F]['params']>;
export type ParsedParamsOf<F extends WhmFunctionName> = z.output<Catalogue[F]['params']>;
export type DataOf<F extends WhmFunctionName> = Catalogue[F]['data'] extends z.ZodType
  ? z.output<Catalogue[F]['data']>
  : undefined;

export function isWhmFunctionName(name: string): name is WhmFunctionName {
  return Object.hasOwn(catalogue, name);
}

export function whmFunction<F extends WhmFunctionName>(name: F): Catalogue[F] {
  return catalogue[name];
}
