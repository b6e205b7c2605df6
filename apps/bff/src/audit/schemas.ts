import { z } from 'zod';
import { safeText } from '../http/schemas.js';
import { auditKinds, auditOutcomes, type AuditKind } from './audit-log.js';

const isoTime = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time')
  .transform((value) => Date.parse(value));

export const auditQuery = z.strictObject({
  operator: safeText(64).optional(),
  function: safeText(100).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  kind: z
    .string()
    .max(100)
    .refine(
      (value) => value.split(',').every((kind) => (auditKinds as readonly string[]).includes(kind)),
      `must be a comma-separated list of ${auditKinds.join(', ')}`,
    )
    .transform((value) => [...new Set(value.split(','))] as AuditKind[])
    .optional(),
  target: safeText(64).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditCsvQuery = auditQuery.extend({
  limit: z.coerce.number().int().min(1).max(50_000).default(10_000),
});
