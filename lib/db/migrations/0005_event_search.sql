-- Free text (`q`) through a word index instead of a scan of every alert's text, and no second copy
-- of that text: `q` took 4–8 s over a million alerts, and search_text was a fifth of the store.
--
-- Layout, and why:
-- * tokenize 'unicode61': words are runs of letters and digits; everything else separates them.
--   `q` is searched as one phrase of its words (lib/db/filter-sql.ts): "/etc/shadow" finds
--   "cat /etc/shadow", "10.0.0.1" finds that address and not "10.0.0.12", a `*` at the end makes
--   the last word a prefix ("etc/sha*"), and the punctuation between words is not compared. A trigram index (any substring,
--   punctuation included) was tried first: about 2.7 KB per alert, and ingest fell below
--   800 alerts/s and kept falling as it grew (docs/benchmarks.md). This one is about 0.3 KB per
--   alert and inserts about ten times faster.
-- * remove_diacritics 0: the writer lower-cases the text and filter-sql.ts lower-cases `q`, so
--   "é" and "e" stay different words, as they were for the substring search before.
-- * detail = full (the default): positions are what make a phrase exact. detail=none or column
--   would take less space but cannot tell "cat shadow" from "shadow … cat".
-- * content = '' (contentless): the index alone, no copy of the text.
-- * contentless_delete = 1: rows can be deleted by rowid without supplying their text, so the
--   trigger below keeps the index in step with retention and every other delete of an alert.
-- rowid is events.id.
CREATE VIRTUAL TABLE event_search USING fts5(
  text,
  tokenize = 'unicode61 remove_diacritics 0',
  content = '',
  contentless_delete = 1
);

-- The alerts already stored (about a minute for a million).
INSERT INTO event_search (rowid, text) SELECT event_id, search_text FROM event_payloads;

-- A deleted alert must never be found.
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_search WHERE rowid = old.id;
END;

-- The index replaces the copy. Its pages are reused by new alerts (the file does not shrink
-- without a VACUUM). New rows also store `raw` deflated (lib/db/raw-json.ts); older rows keep
-- their text, and readers take either.
ALTER TABLE event_payloads DROP COLUMN search_text;
