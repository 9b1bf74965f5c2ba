-- Free text combined with filters (rule, host, container, image, namespace, pod, user, source, tag,
-- process name): the writer adds each alert's values to its words as facet tokens (lib/db/facets.ts),
-- so the word index alone answers both. Alerts with ids from `from_id` on have them; the older ones
-- are given theirs in the background (lib/ingest/facet-backfill.ts), lowering `from_id`, and the
-- word index is merged after. Until then (`ready` 0) readers test such filters on each alert's row.
CREATE TABLE event_facets (
  one     INTEGER PRIMARY KEY CHECK (one = 1),
  from_id INTEGER NOT NULL,
  ready   INTEGER NOT NULL
);
INSERT INTO event_facets (one, from_id, ready) SELECT 1, coalesce(max(id), 0) + 1, max(id) IS NULL FROM events;
