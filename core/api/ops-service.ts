import type { ImportReport } from "../provlog/ingest";
import type { ByteSink } from "../provlog/timeline-export";
import { consoleHandlers } from "./console";
import { doctorHandlers } from "./doctor";
import { profileHandlers } from "./profiles";
import { restartHandlers, restartProgressOf } from "./restart";
import type { ExportInput, RequestInput, RequestName, SubscriptionInput, SubscriptionName } from "./schemas";
import { Sessions, type SessionsOptions } from "./sessions";
import { type HostInfo, settingsHandlers } from "./settings";
import { exportTimelineOf, importLogInto, timelineHandlers } from "./timeline";
import type { RequestResults, SubscriptionItems } from "./views";
import { liveChanges, workspaceHandlers } from "./workspaces";

export interface OpsServiceOptions extends SessionsOptions {
  host: HostInfo["host"];
  version: string;
}

type Handlers = { [N in RequestName]: (input: RequestInput<N>) => Promise<RequestResults[N]> };
type Subscriptions = {
  [N in SubscriptionName]: (input: SubscriptionInput<N>, signal: AbortSignal) => AsyncIterable<SubscriptionItems[N]>;
};

/**
 * The API every host serves (DESIGN: one core, three hosts): the desktop app over IPC, the browser
 * host over HTTP. Inputs arrive validated (see dispatch.ts); results are plain views with no
 * secret in them; errors are OpsErrors with safe messages. Each area (workspaces.ts, console.ts,
 * restart.ts, timeline.ts, profiles.ts, doctor.ts, settings.ts) brings its handlers; the active
 * profile's session is sessions.ts's.
 */
export class OpsService {
  private readonly sessions: Sessions;
  private readonly handlers: Handlers;
  private readonly subscriptions: Subscriptions;

  constructor(o: OpsServiceOptions) {
    const sessions = new Sessions(o);
    this.sessions = sessions;
    this.handlers = {
      ...settingsHandlers(sessions, { host: o.host, version: o.version, credentials: o.credentials }),
      ...workspaceHandlers(sessions),
      ...consoleHandlers(sessions),
      ...restartHandlers(sessions),
      ...timelineHandlers(sessions),
      ...profileHandlers(sessions),
      ...doctorHandlers(sessions),
    };
    this.subscriptions = {
      live: (_input, signal) => liveChanges(sessions, signal),
      "restart.progress": (input, signal) => restartProgressOf(sessions, input, signal),
    };
  }

  /** One request; `input` must already be validated against its schema. */
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestResults[N]> {
    return (this.handlers[name] as (i: RequestInput<N>) => Promise<RequestResults[N]>)(input);
  }

  /** A subscription's items until the signal aborts (or, for restart progress, the outcome). */
  async *subscribe<N extends SubscriptionName>(
    name: N,
    input: SubscriptionInput<N>,
    signal: AbortSignal,
  ): AsyncGenerator<SubscriptionItems[N]> {
    const open = this.subscriptions[name] as (
      i: SubscriptionInput<N>,
      s: AbortSignal,
    ) => AsyncIterable<SubscriptionItems[N]>;
    yield* open(input, signal);
  }

  /** CSV or JSONL of the timeline through the same code as the CLI; returns the rows written. */
  exportTimeline(input: ExportInput, sink: ByteSink): Promise<number> {
    return exportTimelineOf(this.sessions, input, sink);
  }

  /** A provlog file or stream into the active profile's cache. */
  importLog(source: string | NodeJS.ReadableStream): Promise<ImportReport> {
    return importLogInto(this.sessions, source);
  }

  /** Every configured secret (for redaction of anything this host shows, and for leak tests). */
  secrets(): string[] {
    return this.sessions.secrets();
  }

  close(): Promise<void> {
    return this.sessions.close();
  }
}
