import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/workspaces.css";
import "./styles/console.css";
import "./styles/timeline.css";
import "./styles/dialogs.css";
import "./styles/doctor.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/app";
import { AppProviders, createQueryClient } from "./app/providers";
import { pickOpsClient } from "./pick-ops-client";
import { NoToken } from "./ui/no-token";

const { client, tokenMissing } = pickOpsClient();

const queryClient = createQueryClient();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      {tokenMissing ? (
        <NoToken />
      ) : (
        <AppProviders client={client} queryClient={queryClient}>
          <App />
        </AppProviders>
      )}
    </StrictMode>,
  );
}
