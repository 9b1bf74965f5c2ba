-- Falco's own time of an alert dated more than PERCH_MAX_CLOCK_SKEW ahead of its arrival, which is
-- stored in time_ns instead (lib/falco/alert.ts); NULL for every other alert. The raw JSON keeps it too.
ALTER TABLE events ADD COLUMN claimed_time_ns INTEGER;
