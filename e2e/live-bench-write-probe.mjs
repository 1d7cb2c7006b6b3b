// Loaded into the browser host by the live-feed benchmark only (NODE_OPTIONS=--import this file,
// LIVE_BENCH_WRITES=<file>): counts the host's SQLite writes and transactions through
// better-sqlite3's own prototypes, without touching the product, and writes the counts to that
// file every 200 ms. A heartbeat write is an UPDATE setting last_heartbeat_at.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const out = process.env.LIVE_BENCH_WRITES;
if (out) {
  const require = createRequire(import.meta.url);
  const Database = require("better-sqlite3");
  const counts = {
    /** Statements run that wrote (Statement.run). */
    writes: 0,
    /** Heartbeat rows written. */
    heartbeatWrites: 0,
    /** Outermost db.transaction() calls. */
    transactions: 0,
    /** Outermost transactions that wrote at least one heartbeat. */
    heartbeatTransactions: 0,
    /** Heartbeat writes outside any transaction (one implicit transaction each). */
    heartbeatAutocommits: 0,
    /** Writes outside any db.transaction() (one implicit transaction each). */
    autocommits: 0,
  };
  let open = null;
  const probe = new Database(":memory:");
  const Statement = Object.getPrototypeOf(probe.prepare("SELECT 1"));
  probe.close();
  const run = Statement.run;
  // Looked up once a statement: reading `source` makes a string in the addon on every call.
  const isHeartbeat = new WeakMap();
  Statement.run = function (...args) {
    counts.writes++;
    let heartbeat = isHeartbeat.get(this);
    if (heartbeat === undefined) {
      heartbeat = /SET\s+last_heartbeat_at\b/i.test(this.source);
      isHeartbeat.set(this, heartbeat);
    }
    if (heartbeat) counts.heartbeatWrites++;
    if (open) {
      if (heartbeat) open.heartbeat = true;
    } else if (!this.database.inTransaction) {
      counts.autocommits++;
      if (heartbeat) counts.heartbeatAutocommits++;
    }
    return run.apply(this, args);
  };
  const transaction = Database.prototype.transaction;
  const wrap = (fn) =>
    function (...args) {
      if (open) return fn.apply(this, args);
      open = { heartbeat: false };
      try {
        return fn.apply(this, args);
      } finally {
        counts.transactions++;
        if (open.heartbeat) counts.heartbeatTransactions++;
        open = null;
      }
    };
  Database.prototype.transaction = function (fn) {
    const t = transaction.call(this, fn);
    const wrapped = wrap(t);
    for (const kind of ["deferred", "immediate", "exclusive"]) wrapped[kind] = wrap(t[kind]);
    wrapped.default = wrapped;
    wrapped.database = t.database;
    return wrapped;
  };
  const write = () => writeFileSync(out, JSON.stringify(counts));
  setInterval(write, 200).unref();
  process.on("exit", write);
}

// LIVE_BENCH_HOST_PROF=<dir>: each SIGUSR2 starts, then stops, a CPU profile of the host
// (node:inspector; --cpu-prof is not allowed in NODE_OPTIONS), written as <dir>/host-<n>.cpuprofile.
const profDir = process.env.LIVE_BENCH_HOST_PROF;
if (profDir) {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  let profiling = false;
  let n = 0;
  process.on("SIGUSR2", () => {
    if (!profiling) {
      profiling = true;
      session.post("Profiler.enable", () => session.post("Profiler.start"));
      return;
    }
    profiling = false;
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(`${profDir}/host-${n++}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
