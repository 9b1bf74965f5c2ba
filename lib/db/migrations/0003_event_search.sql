-- Free text (`q`) through a trigram index instead of a scan of every alert's text, and no second
-- copy of that text: `q` took 4–8 s over a million alerts, and search_text was a fifth of the store.
--
-- Layout, and why:
-- * tokenize 'trigram': `q` matches any substring ("etc/sha" finds "/etc/shadow"). A quoted
--   phrase of three or more characters matches exactly where the text holds it, because trigram
--   positions are character offsets. case_sensitive 1 because the writer lower-cases the text and
--   filter-sql.ts lower-cases `q` (as before, with JavaScript's toLowerCase), so the index adds no
--   folding of its own and answers exactly what instr() over search_text answered.
-- * detail = full (the default): positions are what make a phrase exact. detail=none or column
--   would take a third of the space but refuse phrase queries, so every hit would need checking
--   against the text, which this layout no longer keeps.
-- * content = '' (contentless): the index alone, no copy of the text. Queries of one or two
--   characters, which trigrams cannot answer, rebuild the text from the alert's raw JSON instead
--   (perch_search_text(), registered by lib/db/connection.ts): slow, but rare and still exact.
-- * contentless_delete = 1: rows can be deleted by rowid without supplying their text, so the
--   trigger below keeps the index in step with retention and every other delete of an alert.
-- rowid is events.id.
CREATE VIRTUAL TABLE event_search USING fts5(
  text,
  tokenize = 'trigram case_sensitive 1',
  content = '',
  contentless_delete = 1
);

-- The alerts already stored (several minutes for a million: FTS5 tokenises every character).
INSERT INTO event_search (rowid, text) SELECT event_id, search_text FROM event_payloads;

-- A deleted alert must never be found.
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_search WHERE rowid = old.id;
END;

-- The index replaces the copy. Its pages are reused by new alerts (the file does not shrink
-- without a VACUUM). New rows also store `raw` deflated (lib/db/raw-json.ts); older rows keep
-- their text, and readers take either.
ALTER TABLE event_payloads DROP COLUMN search_text;
