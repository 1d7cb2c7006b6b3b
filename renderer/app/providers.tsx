import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { OpsClientError } from "../../core/api/ops-client";
import type { ErrorCode } from "../../core/api/views";
import type { UiOpsClient } from "../ui-ops-client";
import { OpsProvider } from "./ops-context";

/** Refused requests (token, input, config) fail the same way twice; upstream blips may not. */
const NOT_RETRIED: ReadonlySet<string> = new Set<ErrorCode>(["Unauthorized", "Input", "Config", "NotFound"]);

/** The page's query cache, with the app's defaults. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < 1 && !(error instanceof OpsClientError && NOT_RETRIED.has(error.code)),
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** What every view stands in: the OpsClient it talks to and the query cache over it. */
export function AppProviders({
  client,
  queryClient,
  children,
}: {
  client: UiOpsClient;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <OpsProvider client={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </OpsProvider>
  );
}
