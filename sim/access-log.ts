import { goQuote } from "./go-json-body";
import { formatGinStamp, formatGoDuration } from "./go-time-format";

export interface AccessEntry {
  /** When the handler returned (ms since the epoch, sim clock). */
  at: number;
  status: number;
  latencyNs: bigint;
  clientIp: string;
  method: string;
  /** Path plus `?query` when there is one, as gin's logger builds it. */
  path: string;
}

/**
 * One line of gin.Default()'s Logger (router.go builds the engine with gin.Default), as it
 * writes to a non-terminal: gin's defaultLogFormatter without colours. It goes to stdout,
 * without the Go logger's date prefix, interleaved with the log.Printf lines in the server's
 * captured output; provlog importers must skip it as noise.
 */
export function formatAccessLine(entry: AccessEntry): string {
  const status = String(entry.status).padStart(3, " ");
  const latency = formatGoDuration(entry.latencyNs).padStart(13, " ");
  const ip = entry.clientIp.padStart(15, " ");
  const method = entry.method.padEnd(7, " ");
  return `[GIN] ${formatGinStamp(entry.at)} | ${status} | ${latency} | ${ip} | ${method}  ${goQuote(entry.path)}`;
}

/** An access line for a request the sim did not serve over HTTP (history, an agent's heartbeat): a plausible latency. */
export function accessLine(at: number, status: number, clientIp: string, method: string, path: string): string {
  const latencyNs = BigInt(400_000 + ((Math.floor(at) * 7919 + path.length * 104_729) % 2_600_000));
  return formatAccessLine({ at, status, latencyNs, clientIp, method, path });
}
