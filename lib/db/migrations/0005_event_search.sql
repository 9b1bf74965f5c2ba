-- Free text (`q`) through a word index instead of a scan of every alert's text and its second copy;
-- the layout and why: docs/decisions/0017. Contentless rows delete by rowid (events.id), so the
-- trigger below keeps the index in step with every delete.
CREATE VIRTUAL TABLE event_search USING fts5(
  text,
  tokenize = 'unicode61 remove_diacritics 0',
  content = '',
  contentless_delete = 1
);

-- The alerts already stored (how long an upgrade takes: docs/decisions/0017).
INSERT INTO event_search (rowid, text) SELECT event_id, search_text FROM event_payloads;

-- A deleted alert must never be found.
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
  DELETE FROM event_search WHERE rowid = old.id;
END;

-- The index replaces the copy; the file shrinks only with a VACUUM. New rows store `raw` deflated
-- (lib/db/raw-json.ts) and older rows keep their text, so readers take either.
ALTER TABLE event_payloads DROP COLUMN search_text;
