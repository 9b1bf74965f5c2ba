-- Logged-out sessions, each until the expiry its cookie carries: a logout outlasts a restart, and
-- every Perch process on this store learns of the others' logouts. Session checks read a copy in
-- memory (lib/access/session.ts); this table is read at start, then for rows past the last one seen.
CREATE TABLE ended_sessions (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so "after the last seen" misses no row
  session_id TEXT NOT NULL UNIQUE,               -- the cookie's random id; one row however often it is logged out
  expires_ms INTEGER NOT NULL                    -- the cookie's own expiry, after which the row serves nothing
);

-- Dropping the expired rows, at start and at each logout.
CREATE INDEX ended_sessions_expiry ON ended_sessions (expires_ms);
