-- Free text over a month (`q`): the word index (0005) gives the ids of the matching alerts, and a
-- count or timeline then needs each one's time, priority and whether it is a health event. Read
-- from `events`, that is one wide row per match, about seven to a page, so a common word read
-- nearly every page of the table: `she*` (190,000 matches in a million alerts) took 340–370 ms
-- for its timeline and summary. This index holds just those columns in id order, about 160
-- entries to a page. Ids grow with every insert, so new alerts append to its end.
CREATE INDEX events_id_time ON events (id, time_ns, internal, priority_rank);
