/**
 * Delay before reconnect attempt `attempt` (0-based): exponential with a ceiling and jitter in
 * the upper half, so many open consoles do not all come back in the same second after a host
 * restart (the same reason the tenant feed jitters its reconnects).
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 15_000) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
