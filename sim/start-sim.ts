import type { AddressInfo } from "node:net";
import { type FaultController, FaultTable } from "./faults";
import { hostForUrl } from "./loopback";
import { resolveSimOptions, type SimOptions } from "./options";
import { createSimServer } from "./server";
import { SimWorld } from "./state";
import type { SimState } from "./types";

export interface Sim {
  /** http://127.0.0.1:PORT — the CP and the tenant platform share it. */
  url: string;
  /** Exactly the variables docs/contracts.md §2/§3 read, pointing at this sim. */
  env: Record<string, string>;
  faults: FaultController;
  state: SimState;
  /** The sim's clock (ms since the epoch): options.startAt, advanced by monotonic time. */
  now(): number;
  /** Closes the server, destroys open sockets (black-holed ones and /ws feeds too), clears timers, flushes the log. */
  close(): Promise<void>;
}

export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const resolved = resolveSimOptions(options);
  const world = new SimWorld(resolved);
  const faults = new FaultTable();
  const { server, close } = createSimServer(world, faults);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    world.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(resolved.host)}:${port}`;
  const { secrets } = resolved;
  return {
    url,
    env: {
      MOLECULE_ORG_ID: resolved.orgId,
      CP_PROVISION_URL: url,
      MOLECULE_CP_SHARED_SECRET: secrets.provisionSecret,
      CP_ADMIN_API_TOKEN: secrets.adminApiToken,
      ADMIN_TOKEN: secrets.adminToken,
      MOLECULE_TENANT_URL: url,
    },
    faults,
    state: world,
    now: () => world.now(),
    close,
  };
}
