-- Leaner storage, step two (issue 15): the op log keeps its rows with
-- numbers where it kept texts, and leaves out what it can write back.
--
-- op_log is the op log as stored, one row per operation in the order
-- received (its rowid is the old table's). device, actor (the user), type,
-- record, action and status are numbers in uuids (migration 0014). Three
-- columns hold a number when the text can be written back from it exactly,
-- else the text itself (SQLite keeps either in a column of no type):
--   clock:    the stamp TIME/COUNTER/NODE whose node is the operation's
--             device, as (milliseconds since 1970) × 10000 + counter;
--   received: received_at, as milliseconds since 1970;
--   visit:    the visit_id an applied operation's fields end with
--             (`,"visit_id":"…"}`), left out of fields and kept as a number.
-- The view ops reads op_log with the old column names and texts, so every
-- reader (the audit trail, the desk, the integrity checks) is unchanged; the
-- server writes op_log itself (store/oplog.go), and the view's trigger takes
-- the odd INSERT of a test or a tool.
CREATE TABLE op_log (
    op_id       TEXT NOT NULL UNIQUE,
    seq         INTEGER,                    -- NULL when rejected
    device      INTEGER NOT NULL,           -- uuids.no of device_id
    actor       INTEGER NOT NULL,           -- uuids.no of user_id
    type        INTEGER NOT NULL,           -- uuids.no of the record type
    record      INTEGER NOT NULL,           -- uuids.no of record_id
    action      INTEGER NOT NULL,           -- uuids.no of the action
    clock       NOT NULL,                   -- no type (kept as given): see above; '' when no stamp
    fields      TEXT NOT NULL DEFAULT '{}', -- as applied, without the visit_id kept in visit
    visit       INTEGER,                    -- uuids.no of the visit_id left out of fields
    status      INTEGER NOT NULL,           -- uuids.no of applied, conflict, rejected
    conflict_id TEXT NOT NULL DEFAULT '',
    error_field TEXT NOT NULL DEFAULT '',
    error_msg   TEXT NOT NULL DEFAULT '',
    error_code  TEXT NOT NULL DEFAULT '',
    received    NOT NULL                    -- no type (kept as given): see above
);

INSERT OR IGNORE INTO uuids (id)
    SELECT device_id FROM ops UNION SELECT user_id FROM ops UNION SELECT type FROM ops UNION SELECT record_id FROM ops
    UNION SELECT action FROM ops UNION SELECT status FROM ops;

-- The texts a number stands for, written exactly as the view writes them.
CREATE TEMP TABLE migration_0015 AS
    SELECT rowid AS n, *,
        CASE WHEN length(hlc) = 30 + length(device_id) AND substr(hlc, 25, 1) = '/' AND substr(hlc, 30, 1) = '/'
            AND substr(hlc, 26, 4) NOT GLOB '*[^0-9]*'
            THEN (unixepoch(substr(hlc, 1, 19)) * 1000 + CAST(substr(hlc, 21, 3) AS INTEGER)) * 10000 + CAST(substr(hlc, 26, 4) AS INTEGER)
        END AS clock_no,
        (unixepoch(substr(received_at, 1, 19)) * 1000 + CAST(substr(received_at, 21, 3) AS INTEGER)) AS received_no,
        CASE WHEN fields LIKE '%"visit_id":"%"}' THEN
            substr(fields, instr(fields, '"visit_id":"') + 12, length(fields) - instr(fields, '"visit_id":"') - 13)
        END AS visit_text
    FROM ops;
UPDATE migration_0015 SET clock_no = NULL WHERE clock_no IS NOT NULL AND (clock_no < 0 OR
    strftime('%Y-%m-%dT%H:%M:%S', clock_no / 10000000, 'unixepoch') || printf('.%03dZ/%04d/', clock_no / 10000 % 1000, clock_no % 10000)
        || device_id IS NOT hlc);
UPDATE migration_0015 SET received_no = NULL WHERE received_no IS NOT NULL AND (received_no < 0 OR
    strftime('%Y-%m-%dT%H:%M:%S', received_no / 1000, 'unixepoch') || printf('.%03dZ', received_no % 1000) IS NOT received_at);
ALTER TABLE migration_0015 ADD COLUMN lean_fields TEXT;
UPDATE migration_0015 SET lean_fields = CASE WHEN substr(fields, 1, instr(fields, '"visit_id":"') - 1) = '{' THEN '{}'
        ELSE substr(fields, 1, instr(fields, '"visit_id":"') - 2) || '}' END
    WHERE visit_text IS NOT NULL;
UPDATE migration_0015 SET visit_text = NULL WHERE visit_text IS NOT NULL AND (visit_text = '' OR visit_text GLOB '*[^0-9A-Za-z-]*'
    OR CASE WHEN lean_fields = '{}' THEN '{"visit_id":"' || visit_text || '"}'
        ELSE substr(lean_fields, 1, length(lean_fields) - 1) || ',"visit_id":"' || visit_text || '"}' END IS NOT fields);
INSERT OR IGNORE INTO uuids (id) SELECT visit_text FROM migration_0015 WHERE visit_text IS NOT NULL;

INSERT INTO op_log (rowid, op_id, seq, device, actor, type, record, action, clock, fields, visit, status, conflict_id,
        error_field, error_msg, error_code, received)
    SELECT m.n, m.op_id, m.seq, (SELECT no FROM uuids WHERE id = m.device_id), (SELECT no FROM uuids WHERE id = m.user_id),
        (SELECT no FROM uuids WHERE id = m.type), (SELECT no FROM uuids WHERE id = m.record_id), (SELECT no FROM uuids WHERE id = m.action),
        COALESCE(m.clock_no, m.hlc),
        CASE WHEN m.visit_text IS NULL THEN m.fields ELSE m.lean_fields END,
        (SELECT no FROM uuids WHERE id = m.visit_text), (SELECT no FROM uuids WHERE id = m.status), m.conflict_id,
        m.error_field, m.error_msg, m.error_code, COALESCE(m.received_no, m.received_at)
    FROM migration_0015 m ORDER BY m.n;

ALTER TABLE ops RENAME TO ops_0014;

CREATE VIEW ops AS
    SELECT o.op_id AS op_id, o.seq AS seq, d.id AS device_id, a.id AS user_id, t.id AS type, r.id AS record_id, c.id AS action,
        CASE WHEN typeof(o.clock) = 'integer'
            THEN strftime('%Y-%m-%dT%H:%M:%S', o.clock / 10000000, 'unixepoch') || printf('.%03dZ/%04d/', o.clock / 10000 % 1000, o.clock % 10000) || d.id
            ELSE o.clock END AS hlc,
        CASE WHEN o.visit IS NULL THEN o.fields
            WHEN o.fields = '{}' THEN '{"visit_id":"' || v.id || '"}'
            ELSE substr(o.fields, 1, length(o.fields) - 1) || ',"visit_id":"' || v.id || '"}' END AS fields,
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
    LEFT JOIN uuids v ON v.no = o.visit;

-- Nothing lost: every row of the old table reads back identically through
-- the view, in the same order (a failed check fails the migration).
CREATE TEMP TABLE migration_0015_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0015_check
    SELECT count(*) FROM (SELECT rowid, op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, conflict_id,
            error_field, error_msg, received_at, error_code FROM ops_0014
        EXCEPT SELECT rowid, op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, conflict_id,
            error_field, error_msg, received_at, error_code FROM ops);
INSERT INTO migration_0015_check SELECT (SELECT count(*) FROM ops) - (SELECT count(*) FROM ops_0014);
DROP TABLE migration_0015_check;
DROP TABLE migration_0015;
DROP TABLE ops_0014;

CREATE INDEX op_log_record ON op_log(record, type);
CREATE INDEX op_log_seq ON op_log(seq);

CREATE TRIGGER ops_insert INSTEAD OF INSERT ON ops
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (COALESCE(NEW.device_id, '')), (COALESCE(NEW.user_id, '')), (NEW.type), (NEW.record_id),
        (NEW.action), (NEW.status);
    INSERT INTO op_log (op_id, seq, device, actor, type, record, action, clock, fields, status, conflict_id, error_field, error_msg,
            error_code, received)
        VALUES (NEW.op_id, NEW.seq, (SELECT no FROM uuids WHERE id = COALESCE(NEW.device_id, '')),
            (SELECT no FROM uuids WHERE id = COALESCE(NEW.user_id, '')), (SELECT no FROM uuids WHERE id = NEW.type),
            (SELECT no FROM uuids WHERE id = NEW.record_id), (SELECT no FROM uuids WHERE id = NEW.action), COALESCE(NEW.hlc, ''),
            COALESCE(NEW.fields, '{}'), (SELECT no FROM uuids WHERE id = NEW.status), COALESCE(NEW.conflict_id, ''),
            COALESCE(NEW.error_field, ''), COALESCE(NEW.error_msg, ''), COALESCE(NEW.error_code, ''), NEW.received_at);
END;
