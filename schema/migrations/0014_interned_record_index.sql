-- Leaner storage, step one (issue 15, disk per observation): the record
-- index keeps its rows with integers where it kept 36-character ids.
--
-- uuids interns the texts the bookkeeping repeats: record ids, visit, author
-- and device ids, the record type names ('' too, so that every column is an
-- integer that joins). A text is stored once; its number never changes and a
-- row is never deleted (nothing may point at a number that is gone).
--
-- record_heads is the record index as stored: one row per (record, type),
-- the same columns as before with the ids replaced by their numbers. The
-- view record_index reads it with the old column names and texts, so every
-- reader is unchanged; the server writes record_heads itself (store/records.go)
-- and the view's trigger takes the odd INSERT of a test or a tool.
CREATE TABLE uuids (
    no INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE
);

INSERT OR IGNORE INTO uuids (id)
    SELECT type FROM record_index UNION SELECT id FROM record_index UNION SELECT visit_id FROM record_index
    UNION SELECT author_id FROM record_index UNION SELECT merged_into FROM record_index
    UNION SELECT echo_device FROM record_index UNION SELECT '';

CREATE TABLE record_heads (
    rec         INTEGER NOT NULL,  -- uuids.no of the record's id
    type        INTEGER NOT NULL,  -- uuids.no of the type name
    seq         INTEGER NOT NULL,
    region      TEXT NOT NULL,
    visit       INTEGER NOT NULL,  -- uuids.no of visit_id ('' too)
    author      INTEGER NOT NULL,  -- uuids.no of author_id
    deleted     INTEGER NOT NULL DEFAULT 0,
    versions    TEXT NOT NULL DEFAULT '{}',
    merged_into INTEGER NOT NULL,  -- uuids.no of the id it was merged into
    echo        INTEGER NOT NULL,  -- uuids.no of the echo device
    PRIMARY KEY (rec, type)
) WITHOUT ROWID;

INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo)
    SELECT (SELECT no FROM uuids WHERE id = r.id), (SELECT no FROM uuids WHERE id = r.type), r.seq, r.region,
        (SELECT no FROM uuids WHERE id = r.visit_id), (SELECT no FROM uuids WHERE id = r.author_id), r.deleted, r.versions,
        (SELECT no FROM uuids WHERE id = r.merged_into), (SELECT no FROM uuids WHERE id = r.echo_device)
    FROM record_index r;

ALTER TABLE record_index RENAME TO record_index_0013;

CREATE VIEW record_index AS
    SELECT t.id AS type, r.id AS id, h.seq AS seq, h.region AS region, v.id AS visit_id, a.id AS author_id,
        h.deleted AS deleted, h.versions AS versions, m.id AS merged_into, e.id AS echo_device
    FROM record_heads h
    JOIN uuids r ON r.no = h.rec
    JOIN uuids t ON t.no = h.type
    JOIN uuids v ON v.no = h.visit
    JOIN uuids a ON a.no = h.author
    JOIN uuids m ON m.no = h.merged_into
    JOIN uuids e ON e.no = h.echo;

-- Nothing lost: every row of the old table reads back identically through
-- the view, and the view has no other row (a failed check fails the
-- migration, which then changes nothing).
CREATE TEMP TABLE migration_0014_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0014_check
    SELECT count(*) FROM (SELECT type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device FROM record_index_0013
        EXCEPT SELECT type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device FROM record_index);
INSERT INTO migration_0014_check
    SELECT (SELECT count(*) FROM record_index) - (SELECT count(*) FROM record_index_0013);
DROP TABLE migration_0014_check;

DROP TABLE record_index_0013;

CREATE UNIQUE INDEX record_heads_seq ON record_heads(seq);
CREATE INDEX record_heads_region_seq ON record_heads(region, seq);
CREATE INDEX record_heads_visit ON record_heads(visit);

CREATE TRIGGER record_index_insert INSTEAD OF INSERT ON record_index
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (NEW.type), (NEW.id), (COALESCE(NEW.visit_id, '')), (COALESCE(NEW.author_id, '')),
        (COALESCE(NEW.merged_into, '')), (COALESCE(NEW.echo_device, ''));
    INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo) VALUES (
        (SELECT no FROM uuids WHERE id = NEW.id), (SELECT no FROM uuids WHERE id = NEW.type), NEW.seq, NEW.region,
        (SELECT no FROM uuids WHERE id = COALESCE(NEW.visit_id, '')), (SELECT no FROM uuids WHERE id = COALESCE(NEW.author_id, '')),
        COALESCE(NEW.deleted, 0), COALESCE(NEW.versions, '{}'),
        (SELECT no FROM uuids WHERE id = COALESCE(NEW.merged_into, '')), (SELECT no FROM uuids WHERE id = COALESCE(NEW.echo_device, '')));
END;
