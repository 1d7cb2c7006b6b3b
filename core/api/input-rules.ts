import { z } from "zod";
import { WORKSPACE_ID_PATTERN, WORKSPACE_ID_RULE } from "./field-rules";

/**
 * The pieces of input that several requests share, validated the same way wherever they come
 * (the renderer is untrusted input like any other). Each area's schemas build on these.
 */
export const workspaceId = z.string().regex(WORKSPACE_ID_PATTERN, WORKSPACE_ID_RULE);
export const shortText = z.string().max(200);
export const isoOrMs = z.union([z.string().datetime({ offset: true }), z.number().int().nonnegative()]);
export const noInput = z.object({}).strict();
/** Which backend a restart or a doctor's action goes through. */
export const via = z.enum(["cp", "tenant"]);
