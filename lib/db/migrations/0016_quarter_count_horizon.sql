-- Counts per 15 minutes serve the recent days that views open on; older quarters are read from
-- the hours and, at a range's edges, from `events`. `quarter` is the first quarter with counts:
-- the writer moves it forward and writes none before it, and pruning deletes what it left behind
-- (docs/decisions/0037).
CREATE TABLE event_counts_15m_horizon (
  one     INTEGER PRIMARY KEY CHECK (one = 1),
  quarter INTEGER NOT NULL
);
INSERT INTO event_counts_15m_horizon (one, quarter) VALUES (1, 0);
