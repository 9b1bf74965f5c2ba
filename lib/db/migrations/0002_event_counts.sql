-- Counts per hour and per half day, so aggregates over weeks need not read every alert
-- (docs/decisions/0016); they change in the alerts' own transaction. A primary key cannot hold NULL,
-- so a missing value is x'' (an empty blob no text equals) and is read back through nullif.

-- One row per hour and combination of the values the dashboard filters and groups on.
CREATE TABLE event_counts_1h (
  hour             INTEGER NOT NULL,  -- time_ns / 3600e9
  internal         INTEGER NOT NULL,
  priority_rank    INTEGER NOT NULL,
  rule             TEXT NOT NULL,
  source           TEXT NOT NULL,
  hostname         TEXT NOT NULL,
  container_id     TEXT NOT NULL,
  container_name   TEXT NOT NULL,
  image_repository TEXT NOT NULL,
  image_tag        TEXT NOT NULL,
  k8s_ns           TEXT NOT NULL,
  k8s_pod          TEXT NOT NULL,
  user_name        TEXT NOT NULL,
  alerts           INTEGER NOT NULL,
  first_ns         INTEGER NOT NULL,  -- min(time_ns) of these alerts; kept exact on delete
  last_ns          INTEGER NOT NULL,  -- max(time_ns), likewise
  PRIMARY KEY (hour, internal, priority_rank, rule, source, hostname, container_id, container_name,
    image_repository, image_tag, k8s_ns, k8s_pod, user_name)
) WITHOUT ROWID;

-- The same per half day (UTC), so a month's top lists and charts read far fewer rows than hourly.
CREATE TABLE event_counts_12h (
  half_day         INTEGER NOT NULL,  -- time_ns / 43200e9
  internal         INTEGER NOT NULL,
  priority_rank    INTEGER NOT NULL,
  rule             TEXT NOT NULL,
  source           TEXT NOT NULL,
  hostname         TEXT NOT NULL,
  container_id     TEXT NOT NULL,
  container_name   TEXT NOT NULL,
  image_repository TEXT NOT NULL,
  image_tag        TEXT NOT NULL,
  k8s_ns           TEXT NOT NULL,
  k8s_pod          TEXT NOT NULL,
  user_name        TEXT NOT NULL,
  alerts           INTEGER NOT NULL,
  first_ns         INTEGER NOT NULL,
  last_ns          INTEGER NOT NULL,
  PRIMARY KEY (half_day, internal, priority_rank, rule, source, hostname, container_id, container_name,
    image_repository, image_tag, k8s_ns, k8s_pod, user_name)
) WITHOUT ROWID;

-- Alerts per hour and tag: top tags, tactics and techniques when only time, priority and internal
-- are filtered on.
CREATE TABLE tag_counts_1h (
  hour          INTEGER NOT NULL,
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  tag           TEXT NOT NULL,
  alerts        INTEGER NOT NULL,
  PRIMARY KEY (hour, internal, priority_rank, tag)
) WITHOUT ROWID;

-- Alerts per hour and process name at any level of the ancestry, counting an alert once per name
-- (`sudo → sudo` is one alert for sudo), like the `proc` filter and the top processes.
CREATE TABLE process_counts_1h (
  hour          INTEGER NOT NULL,
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  name          TEXT NOT NULL,
  alerts        INTEGER NOT NULL,
  PRIMARY KEY (hour, internal, priority_rank, name)
) WITHOUT ROWID;

-- The alerts already stored (how long this takes: docs/decisions/0016).
INSERT INTO event_counts_1h
SELECT time_ns / 3600000000000, internal, priority_rank, rule,
  coalesce(source, x''), coalesce(hostname, x''), coalesce(container_id, x''),
  coalesce(container_name, x''), coalesce(image_repository, x''), coalesce(image_tag, x''),
  coalesce(k8s_ns, x''), coalesce(k8s_pod, x''), coalesce(user_name, x''),
  count(*), min(time_ns), max(time_ns)
FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;

INSERT INTO event_counts_12h
SELECT hour / 12, internal, priority_rank, rule, source, hostname, container_id, container_name, image_repository,
  image_tag, k8s_ns, k8s_pod, user_name, sum(alerts), min(first_ns), max(last_ns)
FROM event_counts_1h GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;

INSERT INTO tag_counts_1h
SELECT e.time_ns / 3600000000000, e.internal, e.priority_rank, t.tag, count(*)
FROM event_tags t JOIN events e ON e.id = t.event_id GROUP BY 1, 2, 3, 4;

INSERT INTO process_counts_1h
SELECT e.time_ns / 3600000000000, e.internal, e.priority_rank, p.name, count(*)
FROM (SELECT DISTINCT name, event_id FROM event_processes WHERE name IS NOT NULL) p
JOIN events e ON e.id = p.event_id GROUP BY 1, 2, 3, 4;

-- A deleted first (or last) alert of a row makes the trigger look up the next, so first_ns and
-- last_ns stay exact in any delete order; the min() walks the rule's alerts in time order because
-- the priority index SQLite would pick is far less selective (docs/decisions/0016).
CREATE TRIGGER events_uncounted AFTER DELETE ON events BEGIN
  DELETE FROM event_counts_1h
  WHERE hour = OLD.time_ns / 3600000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'')
    AND alerts = 1;
  UPDATE event_counts_1h SET
    alerts = alerts - 1,
    first_ns = CASE WHEN first_ns < OLD.time_ns THEN first_ns ELSE (
      SELECT min(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns >= OLD.time_ns AND e.time_ns < (OLD.time_ns / 3600000000000 + 1) * 3600000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END,
    last_ns = CASE WHEN last_ns > OLD.time_ns THEN last_ns ELSE (
      SELECT max(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns <= OLD.time_ns AND e.time_ns >= OLD.time_ns / 3600000000000 * 3600000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END
  WHERE hour = OLD.time_ns / 3600000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'');
  DELETE FROM event_counts_12h
  WHERE half_day = OLD.time_ns / 43200000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'')
    AND alerts = 1;
  UPDATE event_counts_12h SET
    alerts = alerts - 1,
    first_ns = CASE WHEN first_ns < OLD.time_ns THEN first_ns ELSE (
      SELECT min(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns >= OLD.time_ns AND e.time_ns < (OLD.time_ns / 43200000000000 + 1) * 43200000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END,
    last_ns = CASE WHEN last_ns > OLD.time_ns THEN last_ns ELSE (
      SELECT max(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns <= OLD.time_ns AND e.time_ns >= OLD.time_ns / 43200000000000 * 43200000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END
  WHERE half_day = OLD.time_ns / 43200000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'');
END;

-- BEFORE: tags and ancestry go by ON DELETE CASCADE after the alert's row is gone, when their own
-- triggers cannot read its time and priority. Upserts of -1 rather than the costlier UPDATE … IN (…)
-- (docs/decisions/0016); rows the alert emptied go after.
CREATE TRIGGER events_tags_processes_uncounted BEFORE DELETE ON events BEGIN
  INSERT INTO tag_counts_1h (hour, internal, priority_rank, tag, alerts)
  SELECT OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank, tag, -1 FROM event_tags WHERE event_id = OLD.id
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts;
  DELETE FROM tag_counts_1h
  WHERE hour = OLD.time_ns / 3600000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank
    AND alerts = 0;
  INSERT INTO process_counts_1h (hour, internal, priority_rank, name, alerts)
  SELECT DISTINCT OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank, name, -1
  FROM event_processes WHERE event_id = OLD.id AND name IS NOT NULL
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts;
  DELETE FROM process_counts_1h
  WHERE hour = OLD.time_ns / 3600000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank
    AND alerts = 0;
END;

-- The counts assume a stored alert never changes.
CREATE TRIGGER events_immutable BEFORE UPDATE OF time_ns, internal, priority_rank, rule, source, hostname, container_id,
  container_name, image_repository, image_tag, k8s_ns, k8s_pod, user_name ON events
BEGIN
  SELECT RAISE(ABORT, 'stored alerts are not updated: the hourly counts depend on them');
END;
