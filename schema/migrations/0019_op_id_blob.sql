-- Leaner storage, step five (issue 15, disk per observation): the op log
-- keeps an op_id that is a canonical lower-case UUID (the only form a push
-- takes now, sync/engine.go) as its 16 bytes, a blob, in the row and in the
-- op_id index (36 bytes of text each before). Any other op_id (one kept from
-- before that rule) stays text. The column's TEXT affinity keeps a blob as a
-- blob, so the rows are changed in place. The view ops writes the blob back as
-- the text it was; a reader that looks an op_id up goes to op_log with the key
-- in the same form (store.OpKey in Go; the GLOB/unhex below in SQL).
CREATE TEMP TABLE migration_0019 AS SELECT rowid AS n, op_id FROM op_log;

UPDATE op_log SET op_id = unhex(replace(op_id, '-', '')) WHERE op_id GLOB
    '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]';

DROP VIEW ops;
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
            ELSE '{' || CASE o.keyed WHEN 1 THEN '"item":"' || k.item || '"' WHEN 2 THEN '"location_id":"' || kl.id || '"'
                    ELSE '"item":"' || k.item || '","location_id":"' || kl.id || '"' END
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
    LEFT JOIN uuids kl ON kl.no = k.location;

CREATE TRIGGER ops_insert INSTEAD OF INSERT ON ops
BEGIN
    INSERT OR IGNORE INTO uuids (id) VALUES (COALESCE(NEW.device_id, '')), (COALESCE(NEW.user_id, '')), (NEW.type), (NEW.record_id),
        (NEW.action), (NEW.status);
    INSERT INTO op_log (op_id, seq, device, actor, type, record, action, clock, fields, status, conflict_id, error_field, error_msg,
            error_code, received)
        VALUES (CASE WHEN NEW.op_id GLOB
                '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
            THEN unhex(replace(NEW.op_id, '-', '')) ELSE NEW.op_id END,
            NEW.seq, (SELECT no FROM uuids WHERE id = COALESCE(NEW.device_id, '')),
            (SELECT no FROM uuids WHERE id = COALESCE(NEW.user_id, '')), (SELECT no FROM uuids WHERE id = NEW.type),
            (SELECT no FROM uuids WHERE id = NEW.record_id), (SELECT no FROM uuids WHERE id = NEW.action), COALESCE(NEW.hlc, ''),
            COALESCE(NEW.fields, '{}'), (SELECT no FROM uuids WHERE id = NEW.status), COALESCE(NEW.conflict_id, ''),
            COALESCE(NEW.error_field, ''), COALESCE(NEW.error_msg, ''), COALESCE(NEW.error_code, ''), NEW.received_at);
END;

-- Nothing lost: every op_id reads back through the view as it was stored
-- (a failed check fails the migration, which then changes nothing).
CREATE TEMP TABLE migration_0019_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0019_check
    SELECT count(*) FROM migration_0019 m LEFT JOIN ops o ON o.rowid = m.n WHERE o.op_id IS NOT m.op_id;
INSERT INTO migration_0019_check
    SELECT (SELECT count(*) FROM ops) - (SELECT count(*) FROM migration_0019);
DROP TABLE migration_0019_check;
DROP TABLE migration_0019;
