/**
 * The words the renderer shows statuses and runtimes with, defined once below core/api and
 * passed on here, so the renderer needs nothing of core/ops or core/tenant.
 */

/** Not a tenant status: the console says it when its checks fail (docs/contracts.md §5). */
export { UNCERTAIN } from "../ops/shown-status";
export { RUNTIMES, WORKSPACE_STATUSES } from "../tenant/vocabulary";
