-- Leaner storage, round seven (issue 15): the record index keeps a record's
-- region as a number where it kept the text ('KZ-KAR', 7 bytes in each row
-- and again in the index by region and sequence, about 29 B an answer).
--
-- region_codes holds each region code once; its number never changes and a
-- row is never deleted. record_heads is rebuilt with region as that number
-- (a column's type cannot change in place: its TEXT affinity would store
-- the number as text). The view record_index writes the code back, so every
-- reader is unchanged; a pull by region finds the region's number by its
-- code (one row) and then walks record_heads_region_seq in sequence order
-- (store/viewplan_test.go holds that plan). The server writes the number
-- itself (store/records.go regionNo); the view's trigger takes the odd
-- INSERT of a test or a tool.
CREATE TABLE region_codes (
    no   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

INSERT INTO region_codes (code) SELECT DISTINCT region FROM record_heads ORDER BY region;

DROP VIEW record_index;
DROP INDEX record_heads_seq;
DROP INDEX record_heads_region_seq;
DROP INDEX record_heads_visit;
ALTER TABLE record_heads RENAME TO record_heads_0020;

CREATE TABLE record_heads (
    rec         INTEGER NOT NULL,  -- uuids.no of the record's id
    type        INTEGER NOT NULL,  -- uuids.no of the type name
    seq         INTEGER NOT NULL,
    region      INTEGER NOT NULL,  -- region_codes.no of the region code
    visit       INTEGER NOT NULL,  -- uuids.no of visit_id ('' too)
    author      INTEGER NOT NULL,  -- uuids.no of author_id
    deleted     INTEGER NOT NULL DEFAULT 0,
    versions    TEXT NOT NULL DEFAULT '{}',
    merged_into INTEGER NOT NULL,  -- uuids.no of the id it was merged into
    echo        INTEGER NOT NULL,  -- uuids.no of the echo device
    vnode       INTEGER,           -- uuids.no of the versions' node (migration 0018)
    PRIMARY KEY (rec, type)
) WITHOUT ROWID;

INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo, vnode)
    SELECT h.rec, h.type, h.seq, g.no, h.visit, h.author, h.deleted, h.versions, h.merged_into, h.echo, h.vnode
    FROM record_heads_0020 h JOIN region_codes g ON g.code = h.region;

-- Nothing lost: every old row reads back identically, region as its text,
-- and there is no other row (a failed check fails the migration, which then
-- changes nothing).
CREATE TEMP TABLE migration_0021_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0021_check
    SELECT count(*) FROM (
        SELECT rec, type, seq, region, typeof(region), visit, author, deleted, versions, merged_into, echo, vnode FROM record_heads_0020
        EXCEPT SELECT h.rec, h.type, h.seq, g.code, typeof(g.code), h.visit, h.author, h.deleted, h.versions, h.merged_into, h.echo, h.vnode
        FROM record_heads h JOIN region_codes g ON g.no = h.region);
INSERT INTO migration_0021_check SELECT (SELECT count(*) FROM record_heads) - (SELECT count(*) FROM record_heads_0020);
DROP TABLE migration_0021_check;

DROP TABLE record_heads_0020;

CREATE UNIQUE INDEX record_heads_seq ON record_heads(seq);
CREATE INDEX record_heads_region_seq ON record_heads(region, seq);
CREATE INDEX record_heads_visit ON record_heads(visit);

-- The view of migration 0020, region read from region_codes.
CREATE VIEW record_index AS
    SELECT t.id AS type, r.id AS id, h.seq AS seq, g.code AS region, v.id AS visit_id, a.id AS author_id,
        h.deleted AS deleted, h.versions AS versions, m.id AS merged_into, e.id AS echo_device,
        COALESCE(vn.id, '') AS versions_node,
        r.key AS id_key, v.key AS visit_key, a.key AS author_key, m.key AS merged_key, e.key AS echo_key,
        COALESCE(vn.key, '') AS node_key
    FROM record_heads h
    JOIN region_codes g ON g.no = h.region
    JOIN uuids r ON r.no = h.rec
    JOIN uuids t ON t.no = h.type
    JOIN uuids v ON v.no = h.visit
    JOIN uuids a ON a.no = h.author
    JOIN uuids m ON m.no = h.merged_into
    JOIN uuids e ON e.no = h.echo
    LEFT JOIN uuids vn ON vn.no = h.vnode;

CREATE TRIGGER record_index_insert INSTEAD OF INSERT ON record_index
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (NEW.type), (NEW.id), (COALESCE(NEW.visit_id, '')), (COALESCE(NEW.author_id, '')),
        (COALESCE(NEW.merged_into, '')), (COALESCE(NEW.echo_device, ''));
    INSERT OR IGNORE INTO region_codes (code) VALUES (NEW.region);
    INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo) VALUES (
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.id, '-', '')) ELSE NEW.id END), (SELECT no FROM uuid_rows WHERE id = NEW.type), NEW.seq, (SELECT no FROM region_codes WHERE code = NEW.region),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.visit_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.visit_id, ''), '-', '')) ELSE COALESCE(NEW.visit_id, '') END),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.author_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.author_id, ''), '-', '')) ELSE COALESCE(NEW.author_id, '') END),
        COALESCE(NEW.deleted, 0), COALESCE(NEW.versions, '{}'),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.merged_into, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.merged_into, ''), '-', '')) ELSE COALESCE(NEW.merged_into, '') END),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.echo_device, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.echo_device, ''), '-', '')) ELSE COALESCE(NEW.echo_device, '') END));
END;
