-- Alerts as received, with typed columns for everything the UI filters and groups on.
CREATE TABLE events (
  id               INTEGER PRIMARY KEY,     -- arrival order; tie-breaker of the keyset cursor
  dedup_key        BLOB NOT NULL,           -- sha256 prefix of the uuid, or of time+rule+hostname+output
  uuid             TEXT,
  time_ns          INTEGER NOT NULL,        -- Falco's `time`, nanoseconds since the epoch (canonical)
  received_ms      INTEGER NOT NULL,
  priority         TEXT NOT NULL,
  priority_rank    INTEGER NOT NULL,        -- 0 = Emergency … 7 = Debug
  rule             TEXT NOT NULL,
  source           TEXT,
  hostname         TEXT,
  internal         INTEGER NOT NULL DEFAULT 0,  -- Falco's own health events, kept out of detections
  container_id     TEXT,
  container_name   TEXT,
  image_repository TEXT,
  image_tag        TEXT,
  k8s_ns           TEXT,
  k8s_pod          TEXT,
  user_name        TEXT,
  evt_type         TEXT,
  fd_name          TEXT,
  process_chain    TEXT                     -- root ancestor … process, see chainKey() in lib/falco/ancestry.ts
);
-- Idempotent ingest: a redelivered alert hits this and is reported as a duplicate.
CREATE UNIQUE INDEX events_dedup ON events (dedup_key);
-- Newest-first listing and time ranges (rowid is implied as the tie-breaker); covers the per-priority
-- counts and timelines of a range, which then never read the table.
CREATE INDEX events_time ON events (time_ns, internal, priority_rank);
-- Per-dimension filters within a time range.
CREATE INDEX events_rule_time ON events (rule, time_ns);
CREATE INDEX events_priority_time ON events (priority_rank, time_ns);
CREATE INDEX events_host_time ON events (hostname, time_ns);
CREATE INDEX events_container_time ON events (container_id, time_ns);
CREATE INDEX events_ns_time ON events (k8s_ns, time_ns);
CREATE INDEX events_source_time ON events (source, time_ns);
-- Process trees and "same process chain" group and match on the whole chain.
CREATE INDEX events_chain_time ON events (process_chain, time_ns);

-- The bulky part of an alert, apart so that scans and aggregates over `events` stay on small rows.
CREATE TABLE event_payloads (
  event_id    INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  search_text TEXT NOT NULL,  -- lower-cased rule, output, hostname, tags and field values, for `q`
  raw         TEXT NOT NULL   -- the alert's JSON exactly as received
);

-- Tags one per row so `tag=` filters and tag charts need no string matching.
CREATE TABLE event_tags (
  tag      TEXT NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, event_id)
) WITHOUT ROWID;
-- Tags of one alert (lists, tag charts over a range), answered from the index alone.
CREATE INDEX event_tags_event ON event_tags (event_id, tag);

-- The process (level 0), its parent (1) and ancestors (N), one row per level the alert mentions.
CREATE TABLE event_processes (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  level    INTEGER NOT NULL,
  name     TEXT,
  exepath  TEXT,
  cmdline  TEXT,
  pid      INTEGER,
  PRIMARY KEY (event_id, level)
) WITHOUT ROWID;
-- `proc=` matches a process or any of its ancestors by name.
CREATE INDEX event_processes_name ON event_processes (name, event_id);
