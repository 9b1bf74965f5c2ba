-- Where each quarter hour's alerts lie among the ids: runs of ids (first_id..last_id) that hold
-- every alert of the quarter, and maybe others. Counts of common free text read the word index's
-- matches one run at a time (lib/db/search-counts.ts), each a range of rowids that FTS5 seeks to,
-- so no read of every match has to sort them by time. Ids follow arrival, not the alerts' time:
-- a quarter can take several runs (late alerts, an import of old ones).
-- The writer widens or adds runs with each batch (lib/db/event-writer.ts). Deletes leave runs as
-- they are: a run wider than its alerts still holds them all, and readers test each alert's time.
CREATE TABLE event_id_runs (
  quarter  INTEGER NOT NULL,  -- time_ns / 900e9
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL,
  PRIMARY KEY (quarter, first_id)
) WITHOUT ROWID;

-- The alerts already stored: consecutive ids of one quarter make a run, and runs of a quarter
-- fewer than 256 ids apart are joined, as the writer joins them.
INSERT INTO event_id_runs (quarter, first_id, last_id)
WITH alerts AS (
  SELECT id, time_ns / 900000000000 AS quarter,
    row_number() OVER (ORDER BY id) - row_number() OVER (PARTITION BY time_ns / 900000000000 ORDER BY id) AS island
  FROM event_times
), islands AS (
  SELECT quarter, min(id) AS first_id, max(id) AS last_id FROM alerts GROUP BY quarter, island
), gaps AS (
  SELECT quarter, first_id, last_id,
    first_id - lag(last_id, 1, -256) OVER (PARTITION BY quarter ORDER BY first_id) >= 256 AS starts
  FROM islands
), joined AS (
  SELECT quarter, first_id, last_id, sum(starts) OVER (PARTITION BY quarter ORDER BY first_id) AS run FROM gaps
)
SELECT quarter, min(first_id), max(last_id) FROM joined GROUP BY quarter, run;
