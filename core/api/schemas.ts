import { z } from "zod";
import { baseUrlProblem, PROFILE_URL_RULES } from "../config/base-url";

/**
 * Inputs of every API request, validated by every host before anything runs (the renderer is
 * untrusted input like any other). Strict objects: an unknown key is an error, not ignored.
 */
const workspaceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be a workspace id (letters, digits, . _ : -, at most 128)");
const shortText = z.string().max(200);
const isoOrMs = z.union([z.string().datetime({ offset: true }), z.number().int().nonnegative()]);

export const timelineFilter = z
  .object({
    workspaceId: workspaceId.optional(),
    since: isoOrMs.optional(),
    until: isoOrMs.optional(),
    events: z.array(z.string().min(1).max(200)).max(50).optional(),
  })
  .strict();

/** A saved profile's tenant or CP URL: core/config/base-url.ts's one rule, https off loopback. */
const profileUrl = z
  .string()
  .max(2000)
  .superRefine((url, ctx) => {
    const problem = baseUrlProblem(url, PROFILE_URL_RULES);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const profileInput = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, "must be 1–64 letters, digits, space, . _ -"),
    tenantUrl: profileUrl,
    orgId: z.string().min(1).max(200),
    cpUrl: profileUrl.nullable(),
  })
  .strict();

/** Secrets travel renderer → host only when a person types them; they never travel back. */
export const secretsInput = z
  .object({
    adminToken: z.string().max(4096),
    provisionSecret: z.string().max(4096),
    adminApiToken: z.string().max(4096),
  })
  .strict();

export const requestInputs = {
  "app.info": z.object({}).strict(),
  "workspaces.list": z
    .object({
      text: shortText.optional(),
      status: shortText.optional(),
      runtime: shortText.optional(),
      tier: z.number().int().min(0).max(99).optional(),
    })
    .strict(),
  "workspaces.get": z.object({ id: workspaceId }).strict(),
  "workspaces.status": z.object({ id: workspaceId }).strict(),
  "console.read": z.object({ id: workspaceId, cached: z.boolean().optional() }).strict(),
  "restart.start": z.object({ id: workspaceId, via: z.enum(["cp", "tenant"]) }).strict(),
  "restart.cancel": z.object({ id: workspaceId }).strict(),
  "restart.get": z.object({ id: workspaceId }).strict(),
  "bootstrap.report": z.object({ id: workspaceId }).strict(),
  "sync.run": z.object({}).strict(),
  "sweep.run": z.object({}).strict(),
  "timeline.list": z
    .object({
      filter: timelineFilter,
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  "profiles.list": z.object({}).strict(),
  "profiles.save": z.object({ profile: profileInput, secrets: secretsInput.optional() }).strict(),
  "profiles.remove": z.object({ name: profileInput.shape.name }).strict(),
  "profiles.use": z.object({ name: profileInput.shape.name }).strict(),
  "profiles.test": z.object({ name: profileInput.shape.name }).strict(),
  "doctor.run": z.object({}).strict(),
  "doctor.act": z
    .object({
      finding: z.string().regex(/^[0-9a-f]{10}$/, "must be a finding id"),
      via: z.enum(["cp", "tenant"]).optional(),
    })
    .strict(),
  "settings.get": z.object({}).strict(),
  "settings.set": z
    .object({
      theme: z.enum(["light", "dark", "system"]).optional(),
      sweepSeconds: z.number().int().min(5).max(3600).optional(),
      concurrency: z.number().int().min(1).max(256).optional(),
    })
    .strict(),
} as const;

export const subscriptionInputs = {
  live: z.object({}).strict(),
  "restart.progress": z.object({ id: workspaceId }).strict(),
} as const;

export const exportInput = z.object({ filter: timelineFilter, format: z.enum(["csv", "jsonl"]) }).strict();

export type RequestName = keyof typeof requestInputs;
export type SubscriptionName = keyof typeof subscriptionInputs;
export type RequestInput<N extends RequestName> = z.infer<(typeof requestInputs)[N]>;
export type SubscriptionInput<N extends SubscriptionName> = z.infer<(typeof subscriptionInputs)[N]>;
export type TimelineFilterInput = z.infer<typeof timelineFilter>;
export type ExportInput = z.infer<typeof exportInput>;
