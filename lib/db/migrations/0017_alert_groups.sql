-- Triage groups (lib/db/groups.ts, docs/decisions/0038). An alert belongs to one atom: its rule,
-- where it ran (the image repository, else the host), the names of its process chain, its user and
-- its namespace. Every grouping is a projection of the atom, so each atom carries the 8-byte key of
-- the group it falls in under each grouping (lib/triage/groupings.ts), and a grouping's groups are
-- its atoms' counts summed per key.
CREATE TABLE group_atoms (
  id          INTEGER PRIMARY KEY,
  fingerprint BLOB NOT NULL,
  k_r         BLOB NOT NULL,     -- rule
  k_ri        BLOB NOT NULL,     -- rule, image
  k_ric       BLOB NOT NULL,     -- rule, image, chain (the default)
  k_rcu       BLOB NOT NULL,     -- rule, chain, user
  k_rn        BLOB NOT NULL,     -- rule, namespace
  sample_id   INTEGER NOT NULL,  -- its newest alert: the key fields are read from it
  first_ns    INTEGER NOT NULL,
  last_ns     INTEGER NOT NULL
);
CREATE UNIQUE INDEX group_atoms_fingerprint ON group_atoms (fingerprint);
CREATE INDEX group_atoms_r ON group_atoms (k_r);
CREATE INDEX group_atoms_ri ON group_atoms (k_ri);
CREATE INDEX group_atoms_ric ON group_atoms (k_ric);
CREATE INDEX group_atoms_rcu ON group_atoms (k_rcu);
CREATE INDEX group_atoms_rn ON group_atoms (k_rn);

ALTER TABLE events ADD COLUMN group_id INTEGER;

-- Alerts per half day and group under each grouping, so that a grouping's groups are summed in key
-- order without a sort; the range's edges are read from `events`. The writer adds each batch's
-- counts (lib/db/group-writer.ts); the trigger below takes deleted alerts off.
CREATE TABLE group_counts_12h (
  grouping      TEXT NOT NULL,     -- its code (lib/triage/groupings.ts)
  key           BLOB NOT NULL,
  half_day      INTEGER NOT NULL,  -- time_ns / 43200e9
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  alerts        INTEGER NOT NULL,
  first_ns      INTEGER NOT NULL,
  last_ns       INTEGER NOT NULL,
  PRIMARY KEY (grouping, key, half_day, internal, priority_rank)
) WITHOUT ROWID;

-- The containers and hosts an atom's alerts ran on per half day, for its distinct places. Deletes
-- leave them; pruning drops the half days older than every alert (lib/db/retention.ts).
CREATE TABLE group_places_12h (
  group_id      INTEGER NOT NULL,
  half_day      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  container_id  TEXT NOT NULL,     -- x'' for none
  hostname      TEXT NOT NULL,     -- x'' for none
  PRIMARY KEY (group_id, half_day, priority_rank, container_id, hostname)
) WITHOUT ROWID;

CREATE TRIGGER events_group_uncounted AFTER DELETE ON events WHEN OLD.group_id IS NOT NULL BEGIN
  DELETE FROM group_counts_12h
  WHERE (grouping, key) IN (SELECT g.column1, CASE g.column1 WHEN 'r' THEN a.k_r WHEN 'ri' THEN a.k_ri WHEN 'ric' THEN a.k_ric
      WHEN 'rcu' THEN a.k_rcu ELSE a.k_rn END FROM group_atoms a, (VALUES ('r'), ('ri'), ('ric'), ('rcu'), ('rn')) g WHERE a.id = OLD.group_id)
    AND half_day = OLD.time_ns / 43200000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND alerts = 1;
  UPDATE group_counts_12h SET alerts = alerts - 1
  WHERE (grouping, key) IN (SELECT g.column1, CASE g.column1 WHEN 'r' THEN a.k_r WHEN 'ri' THEN a.k_ri WHEN 'ric' THEN a.k_ric
      WHEN 'rcu' THEN a.k_rcu ELSE a.k_rn END FROM group_atoms a, (VALUES ('r'), ('ri'), ('ric'), ('rcu'), ('rn')) g WHERE a.id = OLD.group_id)
    AND half_day = OLD.time_ns / 43200000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank;
END;

-- Alerts from `from_id` on have their group; older ones are given theirs in the background
-- (lib/ingest/group-backfill.ts), which lowers `from_id` to 0 when done.
CREATE TABLE group_backfill (
  one     INTEGER PRIMARY KEY CHECK (one = 1),
  from_id INTEGER NOT NULL
);
INSERT INTO group_backfill (one, from_id) SELECT 1, CASE WHEN max(id) IS NULL THEN 0 ELSE max(id) + 1 END FROM events;

-- Each group's triage status as last set; no row is open. `fields` are its key fields when set,
-- kept after its alerts are gone. `set_ns` is compared with alert times: a resolved group with
-- alerts after it reads as reopened.
CREATE TABLE group_triage (
  grouping TEXT NOT NULL,
  key      BLOB NOT NULL,
  status   TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'benign')),
  set_ns   INTEGER NOT NULL,
  set_by   TEXT NOT NULL,
  note     TEXT,
  fields   TEXT NOT NULL,
  PRIMARY KEY (grouping, key)
) WITHOUT ROWID;

-- Every change of status, never deleted: a group's history and the triage log's export.
CREATE TABLE group_triage_log (
  id        INTEGER PRIMARY KEY,
  grouping  TEXT NOT NULL,
  key       BLOB NOT NULL,
  status    TEXT NOT NULL,
  at_ns     INTEGER NOT NULL,
  by        TEXT NOT NULL,
  note      TEXT,
  exception TEXT,  -- the Falco exception (rules-file YAML) it was silenced with, if any
  fields    TEXT NOT NULL
);
CREATE INDEX group_triage_log_key ON group_triage_log (grouping, key, id);
