import { createContext, type ReactNode, useContext } from "react";
import type { UiOpsClient } from "../ui-ops-client";

const OpsContext = createContext<UiOpsClient | null>(null);

/** Views reach the host only through this client (DESIGN: views talk only to an OpsClient). */
export function OpsProvider({ client, children }: { client: UiOpsClient; children: ReactNode }) {
  return <OpsContext.Provider value={client}>{children}</OpsContext.Provider>;
}

export function useOps(): UiOpsClient {
  const client = useContext(OpsContext);
  if (!client) throw new Error("useOps outside OpsProvider");
  return client;
}
