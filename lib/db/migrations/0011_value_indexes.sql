-- A chain filter selects a chain and every chain under it: one range of this index. Holding the
-- health flag and the priority too, its counts and timelines read the index alone, never the rows.
DROP INDEX events_chain_time;
CREATE INDEX events_chain_time ON events (process_chain, time_ns, internal, priority_rank);

-- A page of one user's, image's or pod's alerts walks that value's alerts newest first and stops at
-- the page, however rare the value; their counts and timelines read the index alone.
CREATE INDEX events_user_time ON events (user_name, time_ns, internal, priority_rank) WHERE user_name IS NOT NULL;
CREATE INDEX events_image_time ON events (image_repository, time_ns, internal, priority_rank, image_tag) WHERE image_repository IS NOT NULL;
CREATE INDEX events_pod_time ON events (k8s_pod, time_ns, internal, priority_rank) WHERE k8s_pod IS NOT NULL;
