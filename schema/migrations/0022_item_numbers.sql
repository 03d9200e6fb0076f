-- Leaner storage, round seven (issue 15): an answer's item is kept as a
-- number where it was text ('cell_area_m2', about 13 bytes in each row of
-- observation_rows and again in its natural-key index).
--
-- item_codes holds each item name once; its number never changes and a row
-- is never deleted. observation_rows is rebuilt with item as that number (a
-- column's TEXT affinity would keep a number as text), its rows keeping their
-- rec. The views observations and ops (which writes an answer's item back
-- into the fields of its operations, migration 0017) read the name from
-- item_codes, so every reader is unchanged; a lookup by the natural key
-- finds the item's number by its name (one row) and then the answer through
-- observation_rows_key (store/viewplan_test.go holds the plans). The server
-- writes the number itself (store/records.go storedColumns); the view's
-- trigger takes the odd INSERT of a test or a tool.
CREATE TABLE item_codes (
    no   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

INSERT INTO item_codes (code) SELECT DISTINCT item FROM observation_rows ORDER BY item;

DROP VIEW ops;
DROP VIEW observations;
DROP INDEX observation_rows_key;
DROP TRIGGER observation_rows_parents_insert;
DROP TRIGGER observation_rows_parents_update;
ALTER TABLE observation_rows RENAME TO observation_rows_0021;

CREATE TABLE observation_rows (
    rec      INTEGER PRIMARY KEY,       -- uuids.no of the id
    visit    INTEGER NOT NULL,          -- uuids.no of visit_id
    location INTEGER NOT NULL,          -- uuids.no of location_id ('' for the visit as a whole)
    item     INTEGER NOT NULL,          -- item_codes.no of the item
    value    TEXT,                      -- JSON, typed per the checklist item
    note     TEXT NOT NULL DEFAULT '',
    author   INTEGER NOT NULL,          -- uuids.no of author_id
    deleted  INTEGER NOT NULL DEFAULT 0,
    seq      INTEGER NOT NULL DEFAULT 0
);

INSERT INTO observation_rows (rec, visit, location, item, value, note, author, deleted, seq)
    SELECT o.rec, o.visit, o.location, g.no, o.value, o.note, o.author, o.deleted, o.seq
    FROM observation_rows_0021 o JOIN item_codes g ON g.code = o.item ORDER BY o.rec;

-- Nothing lost: every old row reads back identically, item as its text, and
-- there is no other row (a failed check fails the migration, which then
-- changes nothing).
CREATE TEMP TABLE migration_0022_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0022_check
    SELECT count(*) FROM (
        SELECT rec, visit, location, item, typeof(item), value, typeof(value), note, author, deleted, seq FROM observation_rows_0021
        EXCEPT SELECT o.rec, o.visit, o.location, g.code, typeof(g.code), o.value, typeof(o.value), o.note, o.author, o.deleted, o.seq
        FROM observation_rows o JOIN item_codes g ON g.no = o.item);
INSERT INTO migration_0022_check SELECT (SELECT count(*) FROM observation_rows) - (SELECT count(*) FROM observation_rows_0021);
DROP TABLE migration_0022_check;

DROP TABLE observation_rows_0021;

CREATE UNIQUE INDEX observation_rows_key ON observation_rows(visit, location, item, author);

-- The old table's foreign keys (migration 0016): visit_id a visit, author_id a user.
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

-- The view of migration 0020, the item read from item_codes.
CREATE VIEW observations AS
    SELECT i.id AS id, v.id AS visit_id, l.id AS location_id, g.code AS item, o.value AS value, o.note AS note,
        a.id AS author_id, o.deleted AS deleted, o.seq AS seq,
        i.key AS id_key, v.key AS visit_key, l.key AS location_key, a.key AS author_key
    FROM observation_rows o
    JOIN item_codes g ON g.no = o.item
    JOIN uuids i ON i.no = o.rec
    JOIN uuids v ON v.no = o.visit
    JOIN uuids l ON l.no = o.location
    JOIN uuids a ON a.no = o.author;

CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (NEW.id), (NEW.visit_id), (COALESCE(NEW.location_id, '')), (NEW.author_id);
    INSERT OR IGNORE INTO item_codes (code) VALUES (NEW.item);
    INSERT INTO observation_rows (rec, visit, location, item, value, note, author, deleted, seq)
        VALUES ((SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.id, '-', '')) ELSE NEW.id END), (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.visit_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.visit_id, '-', '')) ELSE NEW.visit_id END),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.location_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.location_id, ''), '-', '')) ELSE COALESCE(NEW.location_id, '') END), (SELECT no FROM item_codes WHERE code = NEW.item), NEW.value, COALESCE(NEW.note, ''),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.author_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.author_id, '-', '')) ELSE NEW.author_id END), COALESCE(NEW.deleted, 0), COALESCE(NEW.seq, 0));
END;

-- The view ops of migration 0019, an answer's item read from item_codes, and
-- its trigger as migration 0020 wrote it.
CREATE VIEW ops AS
    SELECT CASE WHEN typeof(o.op_id) = 'blob' THEN substr(lower(hex(o.op_id)), 1, 8) || '-' || substr(lower(hex(o.op_id)), 9, 4) || '-'
                || substr(lower(hex(o.op_id)), 13, 4) || '-' || substr(lower(hex(o.op_id)), 17, 4) || '-' || substr(lower(hex(o.op_id)), 21, 12)
            ELSE o.op_id END AS op_id, o.seq AS seq, d.id AS device_id, a.id AS user_id, t.id AS type, r.id AS record_id, c.id AS action,
        CASE WHEN typeof(o.clock) = 'integer'
            THEN strftime('%Y-%m-%dT%H:%M:%S', o.clock / 10000000, 'unixepoch') || printf('.%03dZ/%04d/', o.clock / 10000 % 1000, o.clock % 10000) || d.id
            ELSE o.clock END AS hlc,
        CASE WHEN o.keyed IS NULL THEN
                CASE WHEN o.visit IS NULL THEN o.fields
                    WHEN o.fields = '{}' THEN '{"visit_id":"' || v.id || '"}'
                    ELSE substr(o.fields, 1, length(o.fields) - 1) || ',"visit_id":"' || v.id || '"}' END
            ELSE '{' || CASE o.keyed WHEN 1 THEN '"item":"' || ki.code || '"' WHEN 2 THEN '"location_id":"' || kl.id || '"'
                    ELSE '"item":"' || ki.code || '","location_id":"' || kl.id || '"' END
                || CASE WHEN o.visit IS NULL AND o.fields = '{}' THEN '}'
                    WHEN o.visit IS NULL THEN ',' || substr(o.fields, 2)
                    WHEN o.fields = '{}' THEN ',"visit_id":"' || v.id || '"}'
                    ELSE ',' || substr(o.fields, 2, length(o.fields) - 2) || ',"visit_id":"' || v.id || '"}' END END AS fields,
        s.id AS status, o.conflict_id AS conflict_id, o.error_field AS error_field, o.error_msg AS error_msg,
        CASE WHEN typeof(o.received) = 'integer'
            THEN strftime('%Y-%m-%dT%H:%M:%S', o.received / 1000, 'unixepoch') || printf('.%03dZ', o.received % 1000)
            ELSE o.received END AS received_at,
        o.error_code AS error_code, o.rowid AS rowid
    FROM op_log o
    JOIN uuids d ON d.no = o.device
    JOIN uuids a ON a.no = o.actor
    JOIN uuids t ON t.no = o.type
    JOIN uuids r ON r.no = o.record
    JOIN uuids c ON c.no = o.action
    JOIN uuids s ON s.no = o.status
    LEFT JOIN uuids v ON v.no = o.visit
    LEFT JOIN observation_rows k ON k.rec = o.record AND o.keyed IS NOT NULL
    LEFT JOIN item_codes ki ON ki.no = k.item
    LEFT JOIN uuids kl ON kl.no = k.location;

CREATE TRIGGER ops_insert INSTEAD OF INSERT ON ops
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (COALESCE(NEW.device_id, '')), (COALESCE(NEW.user_id, '')), (NEW.type), (NEW.record_id),
        (NEW.action), (NEW.status);
    INSERT INTO op_log (op_id, seq, device, actor, type, record, action, clock, fields, status, conflict_id, error_field, error_msg,
            error_code, received)
        VALUES (CASE WHEN NEW.op_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.op_id, '-', '')) ELSE NEW.op_id END,
            NEW.seq, (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.device_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.device_id, ''), '-', '')) ELSE COALESCE(NEW.device_id, '') END),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.user_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.user_id, ''), '-', '')) ELSE COALESCE(NEW.user_id, '') END), (SELECT no FROM uuid_rows WHERE id = NEW.type),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.record_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.record_id, '-', '')) ELSE NEW.record_id END), (SELECT no FROM uuid_rows WHERE id = NEW.action), COALESCE(NEW.hlc, ''),
            COALESCE(NEW.fields, '{}'), (SELECT no FROM uuid_rows WHERE id = NEW.status), COALESCE(NEW.conflict_id, ''),
            COALESCE(NEW.error_field, ''), COALESCE(NEW.error_msg, ''), COALESCE(NEW.error_code, ''), NEW.received_at);
END;
