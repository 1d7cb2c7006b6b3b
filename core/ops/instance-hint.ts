/**
 * What to tell a person when a CP action needs the workspace's instance and none is on file. The
 * tenant API never says which instance a workspace runs on (docs/contracts.md §3: the id lives only in the
 * platform's database and its server log), so the console learns it from an imported server log
 * or from its own CP Starts.
 */
export const NO_INSTANCE_HINT =
  "the tenant API never says which instance a workspace runs on: import the tenant's server log (molecule-ops import-log FILE, or Timeline → Import in the app) to learn it";
