-- Runs of ids (first_id..last_id) holding every alert of a quarter hour, maybe others too: free
-- text's counts read the word index one run at a time (lib/db/search-counts.ts). Kept by the writer
-- per batch; deletes leave them wider than their alerts, and readers test each alert's time.
CREATE TABLE event_id_runs (
  quarter  INTEGER NOT NULL,  -- time_ns / 900e9
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL,
  PRIMARY KEY (quarter, first_id)
) WITHOUT ROWID;

-- The alerts already stored: consecutive ids of one quarter make a run, and runs of a quarter
-- fewer than 256 ids apart are joined, as the writer joins them (lib/db/id-runs.ts).
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
