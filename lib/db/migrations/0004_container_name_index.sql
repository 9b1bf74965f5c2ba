-- The `container` filter also matches names; without this a container's newest alerts walk the range.
-- Partial (name differs from id), so host processes stay out and only a query spelling out that
-- condition (containerArms in lib/db/filter-sql.ts) reads it: no other plan changes.
CREATE INDEX events_container_name_time ON events (container_name, time_ns) WHERE container_name IS NOT container_id;
