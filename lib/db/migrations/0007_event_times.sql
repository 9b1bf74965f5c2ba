-- Free text's counts and timelines (`q`) look up every match's time, priority and health flag by
-- id. Migration 0006 gave them an index of (id, time_ns, internal, priority_rank); a table keyed by
-- the id itself answers the same lookup about a quarter faster, because SQLite finds a row by its
-- integer key without decoding the index's records (`she*`, 194,000 matches in a million alerts:
-- 80–120 ms of lookups instead of 105–165 ms, docs/benchmarks.md), and takes 20 bytes per alert
-- to the index's 24.
-- The writer adds a row with each alert (lib/db/event-writer.ts); alerts are never updated
-- (events_immutable, 0002), and a deleted alert's row goes with it.
CREATE TABLE event_times (
  id            INTEGER PRIMARY KEY,  -- events.id
  time_ns       INTEGER NOT NULL,
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL
);

-- The alerts already stored, in id order (a few seconds per million alerts).
INSERT INTO event_times (id, time_ns, internal, priority_rank)
  SELECT id, time_ns, internal, priority_rank FROM events INDEXED BY events_id_time ORDER BY id;

CREATE TRIGGER events_times_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_times WHERE id = old.id;
END;

DROP INDEX events_id_time;
