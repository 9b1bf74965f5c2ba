-- Free text with filters: each alert's values become facet tokens among its words (lib/db/facets.ts),
-- so the word index answers both (docs/decisions/0005). Alerts from `from_id` on have them; until the
-- background backfill lowers it and sets `ready`, readers test such filters on each alert's row.
CREATE TABLE event_facets (
  one     INTEGER PRIMARY KEY CHECK (one = 1),
  from_id INTEGER NOT NULL,
  ready   INTEGER NOT NULL
);
INSERT INTO event_facets (one, from_id, ready) SELECT 1, coalesce(max(id), 0) + 1, max(id) IS NULL FROM events;
