-- Alerts per half day (and per hour for the dimensions charts stack by) per value of one dimension,
-- because 0002's and 0008's rows per alert shape hardly repeat in a varied fleet. What `value` and
-- `detail` hold for each dimension: docs/decisions/0003.
CREATE TABLE dimension_counts_12h (
  dimension     TEXT NOT NULL,
  half_day      INTEGER NOT NULL,  -- time_ns / 43200e9
  value         TEXT NOT NULL,
  detail        TEXT NOT NULL,
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  alerts        INTEGER NOT NULL,
  PRIMARY KEY (dimension, half_day, value, detail, internal, priority_rank)
) WITHOUT ROWID;

-- The rule and container dimensions per hour, led by the value: a chart's series are read by value.
CREATE TABLE dimension_counts_1h (
  dimension     TEXT NOT NULL,
  value         TEXT NOT NULL,
  detail        TEXT NOT NULL,
  hour          INTEGER NOT NULL,  -- time_ns / 3600e9
  internal      INTEGER NOT NULL,
  priority_rank INTEGER NOT NULL,
  alerts        INTEGER NOT NULL,
  PRIMARY KEY (dimension, value, detail, hour, internal, priority_rank)
) WITHOUT ROWID;

-- The alerts already stored, from the counts per shape (which hold x'' for no value, as these do).
INSERT INTO dimension_counts_12h
SELECT dimension, half_day, value, detail, internal, priority_rank, sum(alerts) FROM (
  SELECT 'rule' AS dimension, half_day, rule AS value, x'' AS detail, internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'source', half_day, source, x'', internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'hostname', half_day, hostname, x'', internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'container', half_day, container_id, CASE WHEN container_id = 'host' THEN hostname ELSE x'' END, internal, priority_rank, alerts
    FROM event_counts_12h
  UNION ALL SELECT 'image', half_day, image_repository, image_tag, internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'namespace', half_day, k8s_ns, x'', internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'pod', half_day, k8s_pod, x'', internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'user', half_day, user_name, x'', internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'rule_container', half_day, rule, coalesce(nullif(container_id, x''), '') || char(31)
    || CASE WHEN container_id = 'host' THEN coalesce(nullif(hostname, x''), '') ELSE '' END, internal, priority_rank, alerts FROM event_counts_12h
  UNION ALL SELECT 'rule_host', half_day, rule, hostname, internal, priority_rank, alerts FROM event_counts_12h
) GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO dimension_counts_12h
SELECT 'proc', hour / 12, name, x'', internal, priority_rank, sum(alerts) FROM process_counts_1h GROUP BY 2, 3, 5, 6;

INSERT INTO dimension_counts_1h
SELECT 'rule', rule, x'', hour, internal, priority_rank, sum(alerts) FROM event_counts_1h GROUP BY 2, 4, 5, 6;
INSERT INTO dimension_counts_1h
SELECT 'container', container_id, CASE WHEN container_id = 'host' THEN hostname ELSE x'' END, hour, internal, priority_rank, sum(alerts)
FROM event_counts_1h GROUP BY 2, 3, 4, 5, 6;

-- Each alert's keys in every dimension above; the trigger reads them while the alert still exists.
CREATE VIEW event_dimension_keys AS
  SELECT id AS event_id, 'rule' AS dimension, rule AS value, x'' AS detail FROM events
  UNION ALL SELECT id, 'source', coalesce(source, x''), x'' FROM events
  UNION ALL SELECT id, 'hostname', coalesce(hostname, x''), x'' FROM events
  UNION ALL SELECT id, 'container', coalesce(container_id, x''), CASE WHEN container_id = 'host' THEN coalesce(hostname, x'') ELSE x'' END FROM events
  UNION ALL SELECT id, 'image', coalesce(image_repository, x''), coalesce(image_tag, x'') FROM events
  UNION ALL SELECT id, 'namespace', coalesce(k8s_ns, x''), x'' FROM events
  UNION ALL SELECT id, 'pod', coalesce(k8s_pod, x''), x'' FROM events
  UNION ALL SELECT id, 'user', coalesce(user_name, x''), x'' FROM events
  UNION ALL SELECT id, 'rule_container', rule,
    coalesce(container_id, '') || char(31) || CASE WHEN container_id = 'host' THEN coalesce(hostname, '') ELSE '' END FROM events
  UNION ALL SELECT id, 'rule_host', rule, coalesce(hostname, x'') FROM events
  UNION ALL SELECT event_id, 'proc', name, x'' FROM event_processes WHERE name IS NOT NULL GROUP BY event_id, name;

-- BEFORE the delete: an alert's process names go with it (ON DELETE CASCADE). Upserts of -1, as
-- 0002 does for tags and processes; the rows it emptied go after.
CREATE TRIGGER events_dimensions_uncounted BEFORE DELETE ON events BEGIN
  INSERT INTO dimension_counts_12h (dimension, half_day, value, detail, internal, priority_rank, alerts)
  SELECT dimension, OLD.time_ns / 43200000000000, value, detail, OLD.internal, OLD.priority_rank, -1
  FROM event_dimension_keys WHERE event_id = OLD.id
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts;
  DELETE FROM dimension_counts_12h
  WHERE (dimension, half_day, value, detail, internal, priority_rank) IN (
    SELECT dimension, OLD.time_ns / 43200000000000, value, detail, OLD.internal, OLD.priority_rank FROM event_dimension_keys WHERE event_id = OLD.id)
    AND alerts = 0;
  INSERT INTO dimension_counts_1h (dimension, value, detail, hour, internal, priority_rank, alerts)
  VALUES ('rule', OLD.rule, x'', OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank, -1),
    ('container', coalesce(OLD.container_id, x''), CASE WHEN OLD.container_id = 'host' THEN coalesce(OLD.hostname, x'') ELSE x'' END,
      OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank, -1)
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts;
  DELETE FROM dimension_counts_1h
  WHERE (dimension, value, detail, hour, internal, priority_rank) IN (VALUES
    ('rule', OLD.rule, x'', OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank),
    ('container', coalesce(OLD.container_id, x''), CASE WHEN OLD.container_id = 'host' THEN coalesce(OLD.hostname, x'') ELSE x'' END,
      OLD.time_ns / 3600000000000, OLD.internal, OLD.priority_rank))
    AND alerts = 0;
END;
