/**
 * Schema migrations, applied in order and tracked with SQLite's `user_version`, each in one
 * transaction so a crash mid-migration leaves the previous version intact.
 * Append only once released: a shipped migration is never edited.
 */
/**
 * The indexes that serve reading: the timeline by workspace and in (ts, id) order, and the
 * instance bindings by workspace, open ones and instance. A large import drops them and builds
 * them again at the end (a sorted build is several times cheaper than hundreds of thousands of
 * scattered inserts); opening the cache recreates any that a crash left missing, hence IF NOT
 * EXISTS. The identity index of events is not among them: the import's dedup needs it.
 */
export const READ_INDEXES: ReadonlyArray<{ name: string; sql: string }> = [
  { name: "events_workspace_ts", sql: "CREATE INDEX IF NOT EXISTS events_workspace_ts ON events (workspace_id, ts)" },
  // (ts, rowid): the whole timeline in (ts, id) order without a sort per page.
  { name: "events_ts", sql: "CREATE INDEX IF NOT EXISTS events_ts ON events (ts)" },
  // Partial: only open bindings (at most one a workspace), so closing one is cheap.
  {
    name: "instance_bindings_open",
    sql: "CREATE INDEX IF NOT EXISTS instance_bindings_open ON instance_bindings (workspace_id) WHERE unbound_at IS NULL",
  },
  {
    name: "instance_bindings_history",
    sql: "CREATE INDEX IF NOT EXISTS instance_bindings_history ON instance_bindings (workspace_id, bound_at)",
  },
  {
    name: "instance_bindings_instance",
    sql: "CREATE INDEX IF NOT EXISTS instance_bindings_instance ON instance_bindings (instance_id)",
  },
];

export const MIGRATIONS: readonly string[] = [
  `
  -- The tenant's workspaces as last synced. Known columns for the list and its filters; every
  -- other field the tenant sends is kept verbatim in extra (docs/contracts.md §3: unknown fields are kept).
  CREATE TABLE workspaces (
    id            TEXT PRIMARY KEY,
    name          TEXT,
    status        TEXT,      -- as the tenant said it, known to us or not
    runtime       TEXT,
    tier          INTEGER,
    parent_id     TEXT,
    extra         TEXT NOT NULL DEFAULT '{}',
    as_of         INTEGER NOT NULL,  -- ms since epoch: when this data was true
    last_seen_at  INTEGER            -- ms: the last sync that listed it (NULL: never listed)
  );
  CREATE INDEX workspaces_status ON workspaces (status);

  -- The workspace→instance mapping (DESIGN: the store is the only place it lives), with its
  -- history. The open binding (unbound_at IS NULL) is the one Stop and IsRunning act on.
  CREATE TABLE instance_bindings (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    instance_id  TEXT NOT NULL,
    source       TEXT NOT NULL,  -- start | provlog | tenant
    state        TEXT,
    bound_at     INTEGER NOT NULL,
    unbound_at   INTEGER
  );

  -- The timeline: provlog records (imported or the console's own) and tenant events.
  CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    ts            INTEGER NOT NULL,  -- ms since epoch; -1 for a record logged without a stamp
    event         TEXT NOT NULL,
    workspace_id  TEXT,
    instance_id   TEXT,
    fields        TEXT NOT NULL,     -- the payload JSON, verbatim
    source        TEXT NOT NULL,     -- console | provlog | tenant
    marshal_error INTEGER NOT NULL DEFAULT 0,
    dedup         INTEGER NOT NULL   -- 53-bit hash of the record's identity
  );
  -- Led by ts so a log's inserts land at the end of the index instead of at random pages (a
  -- bare hash index made a 1M-line import five times slower), and serves time ordering too.
  CREATE UNIQUE INDEX events_identity ON events (ts, dedup);
  ${READ_INDEXES.map((i) => i.sql).join(";\n  ")};

  CREATE TABLE console_snapshots (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    instance_id  TEXT,
    fetched_at   INTEGER NOT NULL,
    output       TEXT NOT NULL
  );
  CREATE INDEX console_snapshots_workspace ON console_snapshots (workspace_id, fetched_at);

  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- How the console last saw each workspace beyond the tenant's word (docs/contracts.md §5): the CP's last
  -- definitive answer, how long status checks have been failing, and a bootstrap failure read
  -- from the serial console. Written by the live-status engine; a sync never touches it.
  ALTER TABLE workspaces ADD COLUMN status_source TEXT NOT NULL DEFAULT 'sync';  -- sync | event
  ALTER TABLE workspaces ADD COLUMN status_at INTEGER;  -- ms: when the tenant's status was said
  CREATE TABLE workspace_health (
    workspace_id      TEXT PRIMARY KEY,
    cp_instance_id    TEXT,     -- the instance the last definitive answer was about
    cp_state          TEXT,     -- that answer: running, pending, stopped, terminated, ...
    cp_checked_at     INTEGER,  -- ms of that answer
    uncertain_since   INTEGER,  -- ms of the first failing check in a row; NULL once one answers
    uncertain_at      INTEGER,  -- ms of the latest failing check
    uncertain_error   TEXT,     -- its safe message
    crash_instance_id TEXT,     -- bootstrap failure seen on this instance's serial console
    crash_error       TEXT,
    crash_tail        TEXT,     -- console tail, at most 8 KiB, cut at a line boundary
    crash_at          INTEGER,
    crash_reported_at INTEGER   -- when the tenant was told (bootstrap-failed)
  );

  -- Restarts the console ran. One running restart a workspace (the partial unique index), also
  -- across processes; a row left running by a process that died is shown as interrupted.
  CREATE TABLE restarts (
    id           INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    via          TEXT NOT NULL,   -- cp | tenant
    state        TEXT NOT NULL,   -- running | done | failed | cancelled | interrupted
    step         TEXT NOT NULL,   -- the last step reached
    owner_pid    INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    error        TEXT
  );
  CREATE UNIQUE INDEX restarts_running ON restarts (workspace_id) WHERE state = 'running';
  CREATE INDEX restarts_workspace ON restarts (workspace_id, started_at);
  `,
  `
  -- The tenant's events arrive twice: GET /events lists them with their id and created_at, the
  -- /ws feed pushes them at broadcast time with no id (models/event.go WSMessage). One row an
  -- event: the tenant's id once the list has shown it, and whether /ws pushed it, so whichever
  -- comes second pairs with the first instead of being stored again (ops/tenant-event-record).
  ALTER TABLE events ADD COLUMN tenant_event_id TEXT;
  ALTER TABLE events ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;
  CREATE UNIQUE INDEX events_tenant_id ON events (tenant_event_id) WHERE tenant_event_id IS NOT NULL;
  -- Kept through bulk imports (not a read index): the live feed pairs events while a log imports.
  CREATE INDEX events_tenant_pairing ON events (workspace_id, event, ts) WHERE source = 'tenant';

  -- Liveness: the tenant pushes WORKSPACE_HEARTBEAT for every running agent about every 30 s
  -- (handlers/registry.go); only the latest is kept, never as a timeline event.
  ALTER TABLE workspaces ADD COLUMN last_heartbeat_at INTEGER;
  -- When the tenant last (re)provisioned the workspace (its WORKSPACE_PROVISIONING event): an
  -- instance on file bound before it may have been replaced by the tenant, whose API never says.
  ALTER TABLE workspaces ADD COLUMN provisioning_at INTEGER;
  `,
];
