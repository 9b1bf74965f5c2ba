-- Alerts per quarter hour by health flag and priority alone: the counts and timelines of a range
-- with no other filter (the overview, the kiosk, the health check's total). The counts of 0002 and
-- 0008 hold a row per distinct alert shape, which a varied cluster hardly repeats (docs/decisions/0002).
CREATE TABLE priority_counts_15m (
  quarter       INTEGER NOT NULL,  -- time_ns / 900e9
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  alerts        INTEGER NOT NULL,
  PRIMARY KEY (quarter, internal, priority_rank)
) WITHOUT ROWID;

INSERT INTO priority_counts_15m
SELECT quarter, internal, priority_rank, sum(alerts) FROM event_counts_15m GROUP BY 1, 2, 3;

CREATE TRIGGER events_uncounted_priority AFTER DELETE ON events BEGIN
  DELETE FROM priority_counts_15m
  WHERE quarter = OLD.time_ns / 900000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND alerts = 1;
  UPDATE priority_counts_15m SET alerts = alerts - 1
  WHERE quarter = OLD.time_ns / 900000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank;
END;
