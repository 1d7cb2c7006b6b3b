import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/workspaces.css";
import "./styles/console.css";
import "./styles/timeline.css";
import "./styles/dialogs.css";
import "./styles/doctor.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { OpsClientError } from "../core/api/ops-client";
import { App } from "./app/app";
import { OpsProvider } from "./app/ops-context";
import { pickOpsClient } from "./pick-ops-client";
import { NoToken } from "./ui/no-token";

const { client, tokenMissing } = pickOpsClient();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Refused requests (token, input, config) fail the same way twice; upstream blips may not.
      retry: (count, error) =>
        count < 1 &&
        !(error instanceof OpsClientError && ["Unauthorized", "Input", "Config", "NotFound"].includes(error.code)),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      {tokenMissing ? (
        <NoToken />
      ) : (
        <OpsProvider client={client}>
          <QueryClientProvider client={queryClient}>
            <App />
          </QueryClientProvider>
        </OpsProvider>
      )}
    </StrictMode>,
  );
}
