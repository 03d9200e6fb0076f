-- Leaner storage, step three (issue 15): an observation's row holds numbers
-- (uuids, migration 0014) for its id, visit, place and author, and its
-- natural key is an index of numbers and the item. The key index is what
-- merges a second id for the same answer instead of applying it twice: it
-- is kept, unique, on (visit, location, item, author) as before.
--
-- observation_rows is the table as stored; the view observations reads it
-- with the old column names and texts, so every reader is unchanged; the
-- server writes observation_rows itself (store/records.go) and the view's
-- trigger takes the odd INSERT of a test or a tool. The foreign keys of the
-- old table (its visit a visit, its author a user) are kept by triggers.
CREATE TABLE observation_rows (
    rec      INTEGER PRIMARY KEY,       -- uuids.no of the id
    visit    INTEGER NOT NULL,          -- uuids.no of visit_id
    location INTEGER NOT NULL,          -- uuids.no of location_id ('' for the visit as a whole)
    item     TEXT NOT NULL,
    value    TEXT,                      -- JSON, typed per the checklist item
    note     TEXT NOT NULL DEFAULT '',
    author   INTEGER NOT NULL,          -- uuids.no of author_id
    deleted  INTEGER NOT NULL DEFAULT 0,
    seq      INTEGER NOT NULL DEFAULT 0
);

INSERT OR IGNORE INTO uuids (id)
    SELECT id FROM observations UNION SELECT visit_id FROM observations UNION SELECT location_id FROM observations
    UNION SELECT author_id FROM observations;

INSERT INTO observation_rows (rec, visit, location, item, value, note, author, deleted, seq)
    SELECT (SELECT no FROM uuids WHERE id = o.id), (SELECT no FROM uuids WHERE id = o.visit_id),
        (SELECT no FROM uuids WHERE id = o.location_id), o.item, o.value, o.note, (SELECT no FROM uuids WHERE id = o.author_id),
        o.deleted, o.seq
    FROM observations o ORDER BY o.rowid;

ALTER TABLE observations RENAME TO observations_0015;

CREATE VIEW observations AS
    SELECT i.id AS id, v.id AS visit_id, l.id AS location_id, o.item AS item, o.value AS value, o.note AS note,
        a.id AS author_id, o.deleted AS deleted, o.seq AS seq
    FROM observation_rows o
    JOIN uuids i ON i.no = o.rec
    JOIN uuids v ON v.no = o.visit
    JOIN uuids l ON l.no = o.location
    JOIN uuids a ON a.no = o.author;

-- Nothing lost (a failed check fails the migration).
CREATE TEMP TABLE migration_0016_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0016_check
    SELECT count(*) FROM (SELECT id, visit_id, location_id, item, value, note, author_id, deleted, seq FROM observations_0015
        EXCEPT SELECT id, visit_id, location_id, item, value, note, author_id, deleted, seq FROM observations);
INSERT INTO migration_0016_check SELECT (SELECT count(*) FROM observations) - (SELECT count(*) FROM observations_0015);
DROP TABLE migration_0016_check;
DROP TABLE observations_0015;

CREATE UNIQUE INDEX observation_rows_key ON observation_rows(visit, location, item, author);

-- The old table's foreign keys: visit_id a visit, author_id a user.
CREATE TRIGGER observation_rows_parents_insert BEFORE INSERT ON observation_rows
    WHEN NOT EXISTS (SELECT 1 FROM visits WHERE id = (SELECT id FROM uuids WHERE no = NEW.visit))
        OR NOT EXISTS (SELECT 1 FROM users WHERE id = (SELECT id FROM uuids WHERE no = NEW.author))
BEGIN
    SELECT raise(ABORT, 'FOREIGN KEY constraint failed');
END;
CREATE TRIGGER observation_rows_parents_update BEFORE UPDATE OF visit, author ON observation_rows
    WHEN NOT EXISTS (SELECT 1 FROM visits WHERE id = (SELECT id FROM uuids WHERE no = NEW.visit))
        OR NOT EXISTS (SELECT 1 FROM users WHERE id = (SELECT id FROM uuids WHERE no = NEW.author))
BEGIN
    SELECT raise(ABORT, 'FOREIGN KEY constraint failed');
END;

CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (NEW.id), (NEW.visit_id), (COALESCE(NEW.location_id, '')), (NEW.author_id);
    INSERT INTO observation_rows (rec, visit, location, item, value, note, author, deleted, seq)
        VALUES ((SELECT no FROM uuids WHERE id = NEW.id), (SELECT no FROM uuids WHERE id = NEW.visit_id),
            (SELECT no FROM uuids WHERE id = COALESCE(NEW.location_id, '')), NEW.item, NEW.value, COALESCE(NEW.note, ''),
            (SELECT no FROM uuids WHERE id = NEW.author_id), COALESCE(NEW.deleted, 0), COALESCE(NEW.seq, 0));
END;

-- The op log's index by sequence served no query but the integrity check's
-- count of sequence numbers used twice, which sorts without it.
DROP INDEX op_log_seq;
