-- Counts per quarter hour, beside 0002's hourly and half-day ones: the default day's timeline has
-- quarter-hour bars that hours cannot answer, and ranges' edges read partial quarters rather than
-- partial hours (docs/decisions/0012). Written and deleted like 0002's.
CREATE TABLE event_counts_15m (
  quarter          INTEGER NOT NULL,  -- time_ns / 900e9
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
  PRIMARY KEY (quarter, internal, priority_rank, rule, source, hostname, container_id, container_name,
    image_repository, image_tag, k8s_ns, k8s_pod, user_name)
) WITHOUT ROWID;

-- The alerts already stored, in one pass over `events`.
INSERT INTO event_counts_15m
SELECT time_ns / 900000000000, internal, priority_rank, rule,
  coalesce(source, x''), coalesce(hostname, x''), coalesce(container_id, x''),
  coalesce(container_name, x''), coalesce(image_repository, x''), coalesce(image_tag, x''),
  coalesce(k8s_ns, x''), coalesce(k8s_pod, x''), coalesce(user_name, x''),
  count(*), min(time_ns), max(time_ns)
FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13;

-- As events_uncounted (0002) does for hours: the row goes with its last alert, and first_ns and
-- last_ns move to the row's next remaining alert when the deleted one was its first or last.
CREATE TRIGGER events_uncounted_15m AFTER DELETE ON events BEGIN
  DELETE FROM event_counts_15m
  WHERE quarter = OLD.time_ns / 900000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'')
    AND alerts = 1;
  UPDATE event_counts_15m SET
    alerts = alerts - 1,
    first_ns = CASE WHEN first_ns < OLD.time_ns THEN first_ns ELSE (
      SELECT min(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns >= OLD.time_ns AND e.time_ns < (OLD.time_ns / 900000000000 + 1) * 900000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END,
    last_ns = CASE WHEN last_ns > OLD.time_ns THEN last_ns ELSE (
      SELECT max(e.time_ns) FROM events e INDEXED BY events_rule_time
      WHERE e.time_ns <= OLD.time_ns AND e.time_ns >= OLD.time_ns / 900000000000 * 900000000000
        AND e.internal = OLD.internal AND e.priority_rank = OLD.priority_rank AND e.rule = OLD.rule
        AND e.source IS OLD.source AND e.hostname IS OLD.hostname AND e.container_id IS OLD.container_id
        AND e.container_name IS OLD.container_name AND e.image_repository IS OLD.image_repository AND e.image_tag IS OLD.image_tag
        AND e.k8s_ns IS OLD.k8s_ns AND e.k8s_pod IS OLD.k8s_pod AND e.user_name IS OLD.user_name) END
  WHERE quarter = OLD.time_ns / 900000000000 AND internal = OLD.internal AND priority_rank = OLD.priority_rank AND rule = OLD.rule
    AND source = coalesce(OLD.source, x'') AND hostname = coalesce(OLD.hostname, x'')
    AND container_id = coalesce(OLD.container_id, x'') AND container_name = coalesce(OLD.container_name, x'')
    AND image_repository = coalesce(OLD.image_repository, x'') AND image_tag = coalesce(OLD.image_tag, x'')
    AND k8s_ns = coalesce(OLD.k8s_ns, x'') AND k8s_pod = coalesce(OLD.k8s_pod, x'') AND user_name = coalesce(OLD.user_name, x'');
END;
