import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import { statusFaultBody } from "./fault-responder";
import type { Fault } from "./faults";
import { errorReply } from "./http-io";
import type { Timers } from "./timers";
import type { RequestRecord } from "./types";
import { refuseUpgrade, refuseUpgradeWith } from "./upgrade-refusal";

export interface UpgradeExchange {
  socket: Socket;
  record: RequestRecord;
  /** The sim's timers, so close() cancels a pending slow upgrade or drop. */
  timers: Timers;
  /** The middleware's headers, for a refusal. */
  headers: Record<string, string | string[]>;
  /** X-RateLimit-Limit of a 429 fault. */
  rateLimit: number;
  /** Completes the handshake as without a fault; `opened` gets the connection once it is up. */
  accept(opened?: (ws: WebSocket) => void): void;
}

/** The tenant.ws counterpart of respondWithFault: the same kinds, acted out on an upgrade. */
export function upgradeWithFault(fault: Fault, ex: UpgradeExchange): void {
  switch (fault.kind) {
    case "status": {
      const { payload, contentType, headers } = statusFaultBody(fault, ex.rateLimit);
      refuseUpgrade(ex.socket, ex.record, fault.status, payload, contentType, { ...ex.headers, ...headers });
      return;
    }
    case "unauthorized":
      refuseUpgradeWith(ex.socket, ex.record, errorReply(401, "unauthorized"), ex.headers);
      return;
    case "reset":
      ex.socket.resetAndDestroy();
      return;
    case "blackhole":
      // Never answer; the socket is destroyed by the client's timeout or by close().
      return;
    case "slow":
      ex.timers.after(fault.delayMs, () => ex.accept());
      return;
    case "drop":
      ex.accept((ws) => {
        // terminate(), not close(): no close frame, the client only sees the connection vanish.
        const timer = ex.timers.after(fault.afterMs, () => ws.terminate());
        ws.once("close", () => ex.timers.cancel(timer));
      });
      return;
    case "oversized":
    case "malformed":
      // assertFaultApplies keeps these off tenant.ws; should one get here anyway, serve normally.
      ex.accept();
      return;
  }
}
