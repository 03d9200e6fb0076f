-- Leaner storage, step six (issue 15): the interned ids (migration 0014)
-- are stored as 16-byte blobs when, and only when, the text is a canonical
-- lower-case UUID (8-4-4-4-12 lower-case hex digits); any other text (a
-- record type name, '', a capitalised or odd id an older server kept) stays
-- text. A blob and a text never compare equal, and the canonical text and
-- its blob are one-to-one, so every text reads back exactly as before.
--
-- uuid_rows is the table as stored (its id of no type holds either); the
-- view uuids reads it with the old columns, writing a blob back as its
-- canonical text in plain SQL (readable by any sqlite3), and gives the
-- stored form as key. The views record_index and observations give the
-- stored form of their id columns beside them (id_key, visit_key, …): a
-- reader that looks a row up by id compares the stored form with the id
-- converted the same way (store/intern.go IDKey, or IDKeySQL for a column
-- of another table), which the unique index of uuid_rows answers; comparing
-- the text written back would read every row. Writing a blob back as text
-- takes about 2.5 µs in SQL: a reader of many rows filters on the stored
-- forms (the pull) or reads them and writes the text in Go (LoadRecord).
--
-- The conversion, in SQL: CASE WHEN x GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(x, '-', '')) ELSE x END
-- (unhex needs SQLite 3.41; only writes use it).
CREATE TABLE uuid_rows (
    no INTEGER PRIMARY KEY,
    id NOT NULL UNIQUE, -- no type: a 16-byte blob for a canonical UUID, else the text
    CHECK (CASE WHEN typeof(id) = 'blob' THEN length(id) = 16 ELSE typeof(id) = 'text' AND NOT id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' END)
);

INSERT INTO uuid_rows (no, id) SELECT no, CASE WHEN id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(id, '-', '')) ELSE id END FROM uuids ORDER BY no;

-- Nothing lost: every row of the old table reads back identically (same
-- number, same text, as text) through the view, and the view has no other
-- row (a failed check fails the migration, which then changes nothing).
CREATE TEMP TABLE migration_0020 AS SELECT no, id, typeof(id) AS t FROM uuids;
DROP TABLE uuids;
CREATE VIEW uuids AS
    SELECT no AS no, CASE WHEN typeof(id) = 'blob' THEN lower(printf('%s-%s-%s-%s-%s', hex(substr(id, 1, 4)), hex(substr(id, 5, 2)), hex(substr(id, 7, 2)), hex(substr(id, 9, 2)), hex(substr(id, 11)))) ELSE id END AS id, id AS key
    FROM uuid_rows;

CREATE TEMP TABLE migration_0020_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0020_check
    SELECT count(*) FROM (SELECT no, id, t FROM migration_0020 EXCEPT SELECT no, id, typeof(id) FROM uuids);
INSERT INTO migration_0020_check SELECT (SELECT count(*) FROM uuids) - (SELECT count(*) FROM migration_0020);
DROP TABLE migration_0020_check;
DROP TABLE migration_0020;

-- The odd INSERT of a test or a tool (the triggers of the views ops,
-- record_index and observations insert here): the conflict clause of the
-- statement that fires it (INSERT OR IGNORE) applies to this INSERT.
CREATE TRIGGER uuids_insert INSTEAD OF INSERT ON uuids
BEGIN
    INSERT INTO uuid_rows (no, id) VALUES (NEW.no, CASE WHEN NEW.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.id, '-', '')) ELSE NEW.id END);
END;

-- The views of migrations 0016 and 0018, with the stored form of each id
-- column beside it.
DROP VIEW record_index;
CREATE VIEW record_index AS
    SELECT t.id AS type, r.id AS id, h.seq AS seq, h.region AS region, v.id AS visit_id, a.id AS author_id,
        h.deleted AS deleted, h.versions AS versions, m.id AS merged_into, e.id AS echo_device,
        COALESCE(vn.id, '') AS versions_node,
        r.key AS id_key, v.key AS visit_key, a.key AS author_key, m.key AS merged_key, e.key AS echo_key,
        COALESCE(vn.key, '') AS node_key
    FROM record_heads h
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
    INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo) VALUES (
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.id, '-', '')) ELSE NEW.id END), (SELECT no FROM uuid_rows WHERE id = NEW.type), NEW.seq, NEW.region,
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.visit_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.visit_id, ''), '-', '')) ELSE COALESCE(NEW.visit_id, '') END),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.author_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.author_id, ''), '-', '')) ELSE COALESCE(NEW.author_id, '') END),
        COALESCE(NEW.deleted, 0), COALESCE(NEW.versions, '{}'),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.merged_into, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.merged_into, ''), '-', '')) ELSE COALESCE(NEW.merged_into, '') END),
        (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.echo_device, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.echo_device, ''), '-', '')) ELSE COALESCE(NEW.echo_device, '') END));
END;

DROP VIEW observations;
CREATE VIEW observations AS
    SELECT i.id AS id, v.id AS visit_id, l.id AS location_id, o.item AS item, o.value AS value, o.note AS note,
        a.id AS author_id, o.deleted AS deleted, o.seq AS seq,
        i.key AS id_key, v.key AS visit_key, l.key AS location_key, a.key AS author_key
    FROM observation_rows o
    JOIN uuids i ON i.no = o.rec
    JOIN uuids v ON v.no = o.visit
    JOIN uuids l ON l.no = o.location
    JOIN uuids a ON a.no = o.author;

CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (NEW.id), (NEW.visit_id), (COALESCE(NEW.location_id, '')), (NEW.author_id);
    INSERT INTO observation_rows (rec, visit, location, item, value, note, author, deleted, seq)
        VALUES ((SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.id, '-', '')) ELSE NEW.id END), (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.visit_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.visit_id, '-', '')) ELSE NEW.visit_id END),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN COALESCE(NEW.location_id, '') GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(COALESCE(NEW.location_id, ''), '-', '')) ELSE COALESCE(NEW.location_id, '') END), NEW.item, NEW.value, COALESCE(NEW.note, ''),
            (SELECT no FROM uuid_rows WHERE id = CASE WHEN NEW.author_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]' THEN unhex(replace(NEW.author_id, '-', '')) ELSE NEW.author_id END), COALESCE(NEW.deleted, 0), COALESCE(NEW.seq, 0));
END;

-- The trigger of the view ops (migration 0019), looking the numbers up by
-- the ids' stored form.
DROP TRIGGER ops_insert;
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
