-- Leaner storage, step four (issue 15): the op log leaves out of an applied
-- answer's fields the item and the place it names, which the answer itself
-- holds and which never change (sync/change.go, immutable): of fields that
-- begin {"item":"…","location_id":"…" it keeps the rest, and keyed says
-- which of the two were left out (1 the item, 2 the place, 3 both). The
-- view ops writes them back from observation_rows; a row is changed only
-- when it reads back identically.
ALTER TABLE op_log ADD COLUMN keyed INTEGER;
CREATE TEMP TABLE migration_0017_before AS SELECT rowid AS n, fields FROM ops;

CREATE TEMP TABLE migration_0017 AS
    SELECT o.rowid AS n, o.fields AS lean, k.item AS item, l.id AS loc, v.id AS vid,
        CASE WHEN o.visit IS NULL THEN o.fields
            WHEN o.fields = '{}' THEN '{"visit_id":"' || v.id || '"}'
            ELSE substr(o.fields, 1, length(o.fields) - 1) || ',"visit_id":"' || v.id || '"}' END AS full,
        NULL AS keyed, NULL AS p, NULL AS rest, NULL AS f1
    FROM op_log o
    JOIN observation_rows k ON k.rec = o.record
    JOIN uuids l ON l.no = k.location
    LEFT JOIN uuids v ON v.no = o.visit
    WHERE o.type = (SELECT no FROM uuids WHERE id = 'observation')
        AND o.status IN (SELECT no FROM uuids WHERE id IN ('applied', 'conflict'));
UPDATE migration_0017 SET keyed = CASE
        WHEN substr(lean, 1, length('{"item":"' || item || '","location_id":"' || loc || '"')) = '{"item":"' || item || '","location_id":"' || loc || '"'
            AND substr(lean, length('{"item":"' || item || '","location_id":"' || loc || '"') + 1, 1) IN (',', '}') THEN 3
        WHEN substr(lean, 1, length('{"item":"' || item || '"')) = '{"item":"' || item || '"'
            AND substr(lean, length('{"item":"' || item || '"') + 1, 1) IN (',', '}') THEN 1
        WHEN substr(lean, 1, length('{"location_id":"' || loc || '"')) = '{"location_id":"' || loc || '"'
            AND substr(lean, length('{"location_id":"' || loc || '"') + 1, 1) IN (',', '}') THEN 2 END;
UPDATE migration_0017 SET p = CASE keyed WHEN 3 THEN '{"item":"' || item || '","location_id":"' || loc || '"'
        WHEN 1 THEN '{"item":"' || item || '"' ELSE '{"location_id":"' || loc || '"' END
    WHERE keyed IS NOT NULL;
UPDATE migration_0017 SET rest = CASE WHEN substr(lean, length(p) + 1, 1) = '}' THEN '{}' ELSE '{' || substr(lean, length(p) + 2) END
    WHERE keyed IS NOT NULL;
UPDATE migration_0017 SET f1 = CASE WHEN vid IS NULL THEN rest WHEN rest = '{}' THEN '{"visit_id":"' || vid || '"}'
        ELSE substr(rest, 1, length(rest) - 1) || ',"visit_id":"' || vid || '"}' END
    WHERE keyed IS NOT NULL;
-- Only what reads back exactly, as the view below reads it.
UPDATE migration_0017 SET keyed = NULL WHERE keyed IS NOT NULL
    AND p || CASE WHEN f1 = '{}' THEN '}' ELSE ',' || substr(f1, 2) END IS NOT full;
UPDATE op_log SET fields = m.rest, keyed = m.keyed FROM migration_0017 m WHERE op_log.rowid = m.n AND m.keyed IS NOT NULL;
DROP TABLE migration_0017;

DROP VIEW ops;
CREATE VIEW ops AS
    SELECT o.op_id AS op_id, o.seq AS seq, d.id AS device_id, a.id AS user_id, t.id AS type, r.id AS record_id, c.id AS action,
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

-- Nothing changed as read (a failed check fails the migration).
CREATE TEMP TABLE migration_0017_check (lost INTEGER CHECK (lost = 0));
INSERT INTO migration_0017_check
    SELECT count(*) FROM (SELECT n, fields FROM migration_0017_before EXCEPT SELECT rowid, fields FROM ops);
INSERT INTO migration_0017_check SELECT (SELECT count(*) FROM ops) - (SELECT count(*) FROM migration_0017_before);
DROP TABLE migration_0017_check;
DROP TABLE migration_0017_before;

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
