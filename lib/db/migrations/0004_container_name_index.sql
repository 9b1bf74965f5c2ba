-- Alerts by container name, for the `container` filter's match on a name (it matches ids or
-- names): without it, a tree or list of one container's newest alerts walks every alert of the
-- range. Only alerts whose name differs from their id: host processes (`host`/`host`) and alerts
-- without a container stay out, and a query reads it only with that condition spelt out
-- (containerArms in lib/db/filter-sql.ts), so no other plan changes.
CREATE INDEX events_container_name_time ON events (container_name, time_ns) WHERE container_name IS NOT container_id;
