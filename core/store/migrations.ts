/**
 * Schema migrations, applied in order and tracked with SQLite's `user_version`, each in one
 * transaction so a crash mid-migration leaves the previous version intact.
 * Append only: a shipped migration is never edited.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the workspace→instance mapping (the only place it lives, DESIGN "SQLite as the cache")
  // and the timeline of provlog events.
  `
  CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT,
    status      TEXT,
    runtime     TEXT,
    tier        INTEGER,
    extra       TEXT NOT NULL DEFAULT '{}', -- every other tenant field, verbatim JSON
    as_of       INTEGER NOT NULL            -- ms since epoch of the data
  );

  -- One row per binding; history is kept. The open binding (unbound_at IS NULL) is the one
  -- Stop and IsRunning act on.
  CREATE TABLE instance_bindings (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    instance_id  TEXT NOT NULL,
    source       TEXT NOT NULL,  -- start | provlog | tenant
    state        TEXT,
    bound_at     INTEGER NOT NULL,
    unbound_at   INTEGER
  );
  CREATE INDEX instance_bindings_open ON instance_bindings (workspace_id, unbound_at, bound_at);
  CREATE INDEX instance_bindings_instance ON instance_bindings (instance_id);

  CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    ts           INTEGER NOT NULL,  -- ms since epoch
    event        TEXT NOT NULL,
    workspace_id TEXT,
    instance_id  TEXT,
    fields       TEXT NOT NULL,     -- the payload JSON, verbatim
    source       TEXT NOT NULL,     -- console | provlog | tenant
    dedup_key    TEXT NOT NULL UNIQUE
  );
  CREATE INDEX events_workspace_ts ON events (workspace_id, ts);
  CREATE INDEX events_ts ON events (ts);
  `,
];
