-- Free text's counts and timelines need each match's time, priority and health flag; read from
-- `events` that is a wide row per match, here a narrow entry in id order (docs/decisions/0018).
-- Ids grow with every insert, so new alerts append to its end.
CREATE INDEX events_id_time ON events (id, time_ns, internal, priority_rank);
