export { type BootConsoleInput, CRASH_MARKER, renderBootConsole } from "./boot-console";
export { RUNTIMES, SPEC_STATUSES, UNKNOWN_STATUS } from "./catalog";
export { type FaultSpec, parseFaultSpec } from "./fault-spec";
export {
  FAULT_KINDS,
  FAULT_ROUTES,
  type Fault,
  type FaultController,
  type FaultRoute,
  type OversizedShape,
} from "./faults";
export { isLoopbackHost } from "./loopback";
export type { SimOptions, SimSecrets, SimTiming } from "./options";
export { type Sim, startSim } from "./start-sim";
export type {
  CpInstance,
  FeedMessage,
  InstanceState,
  RequestRecord,
  SimEvent,
  SimState,
  TenantWorkspace,
  TenantWorkspaceDetail,
  WorkspaceInput,
} from "./types";
