-- Free text's counts and timelines look up every match's time, priority and health flag by id: a table
-- keyed by the id answers faster than 0006's index, as SQLite finds a row by its integer key without
-- decoding index records (docs/decisions/0019). Alerts are never updated; a row goes with its alert.
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
