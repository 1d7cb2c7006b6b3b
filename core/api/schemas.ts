import type { z } from "zod";
import { consoleRequests } from "./console";
import { doctorRequests } from "./doctor";
import { profileRequests } from "./profiles";
import { restartRequests, restartSubscription } from "./restart";
import { settingsRequests } from "./settings";
import { type ExportInput, type timelineFilter, timelineRequests } from "./timeline";
import type { RequestResults } from "./views";
import { liveSubscription, workspaceRequests } from "./workspaces";

/**
 * Inputs of every API request, validated by every host before anything runs (the renderer is
 * untrusted input like any other). Strict objects: an unknown key is an error, not ignored. Each
 * area's file holds its requests' schemas beside their handlers and views; this is the catalogue.
 */
export const requestInputs = {
  ...settingsRequests,
  ...workspaceRequests,
  ...consoleRequests,
  ...restartRequests,
  ...timelineRequests,
  ...profileRequests,
  ...doctorRequests,
} as const;

export const subscriptionInputs = { ...liveSubscription, ...restartSubscription } as const;

export type RequestName = keyof typeof requestInputs;
export type SubscriptionName = keyof typeof subscriptionInputs;
export type RequestInput<N extends RequestName> = z.infer<(typeof requestInputs)[N]>;
export type SubscriptionInput<N extends SubscriptionName> = z.infer<(typeof subscriptionInputs)[N]>;
export type TimelineFilterInput = z.infer<typeof timelineFilter>;
export type { ExportInput };

/** One area's handlers: a function for each of its requests, from validated input to its result. */
export type HandlersOf<K extends RequestName> = { [N in K]: (input: RequestInput<N>) => Promise<RequestResults[N]> };
