import type { BridgeAnswer, MoleculeOpsBridge } from "../core/api/bridge";
import { type ImportReportView, OpsClientError } from "../core/api/ops-client";
import type { ExportInput, RequestInput, RequestName, SubscriptionInput, SubscriptionName } from "../core/api/schemas";
import type { RequestResults, SubscriptionItems } from "../core/api/views";
import { HostLink } from "./transport/host-link";
import type { UiOpsClient } from "./ui-ops-client";

/** The OpsClient over Electron IPC: the preload's bridge, answers unwrapped into results or errors. */
export function createIpcClient(bridge: MoleculeOpsBridge): UiOpsClient {
  const link = new HostLink();

  async function unwrap(pending: Promise<BridgeAnswer>): Promise<unknown> {
    let answer: BridgeAnswer;
    try {
      answer = await pending;
    } catch {
      link.set(false, "the desktop app's main process did not answer");
      throw new OpsClientError("HostUnreachable", "the desktop app's main process did not answer");
    }
    link.set(true);
    if (answer.ok) return answer.result;
    throw new OpsClientError(answer.error.code, answer.error.message);
  }

  return {
    kind: "ipc",
    link,
    async invoke<N extends RequestName>(name: N, input: RequestInput<N>) {
      return (await unwrap(bridge.invoke(name, input ?? {}))) as RequestResults[N];
    },
    subscribe<N extends SubscriptionName>(
      name: N,
      input: SubscriptionInput<N>,
      onItem: (item: SubscriptionItems[N]) => void,
      onError?: (error: OpsClientError) => void,
    ) {
      let stopped = false;
      const unsubscribe = bridge.subscribe(name, input ?? {}, (message) => {
        if (stopped) return;
        if ("error" in message) {
          stopped = true;
          onError?.(new OpsClientError(message.error.code, message.error.message));
          return;
        }
        onItem(message.item as SubscriptionItems[N]);
      });
      return () => {
        stopped = true;
        unsubscribe();
      };
    },
    async exportTimeline(input: ExportInput) {
      return (await unwrap(bridge.exportTimeline(input))) as { rows: number; saved: boolean };
    },
    async importLog(file: Blob & { name: string }) {
      return (await unwrap(bridge.importLog(file))) as ImportReportView;
    },
    async chooseAndImportLog() {
      return (await unwrap(bridge.importLog())) as ImportReportView;
    },
  };
}
