-- Leaner storage, step five (issue 15): a record's field versions write the
-- clock stamps of one device, the node, as numbers (milliseconds × 10000 +
-- counter, as the op log does, migration 0015): [seq,number,["field",…]]
-- in place of [seq,"TIME/COUNTER/NODE",["field",…]]. vnode is the node's
-- number in uuids (NULL when no group is written so); the view record_index
-- gives it as versions_node, and the server reads the text with it
-- (store/records.go decodeVersionsAt). Text written before keeps its form,
-- which reads as before: nothing is rewritten.
ALTER TABLE record_heads ADD COLUMN vnode INTEGER;

DROP VIEW record_index;
CREATE VIEW record_index AS
    SELECT t.id AS type, r.id AS id, h.seq AS seq, h.region AS region, v.id AS visit_id, a.id AS author_id,
        h.deleted AS deleted, h.versions AS versions, m.id AS merged_into, e.id AS echo_device,
        COALESCE(vn.id, '') AS versions_node
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
        (SELECT no FROM uuids WHERE id = NEW.id), (SELECT no FROM uuids WHERE id = NEW.type), NEW.seq, NEW.region,
        (SELECT no FROM uuids WHERE id = COALESCE(NEW.visit_id, '')), (SELECT no FROM uuids WHERE id = COALESCE(NEW.author_id, '')),
        COALESCE(NEW.deleted, 0), COALESCE(NEW.versions, '{}'),
        (SELECT no FROM uuids WHERE id = COALESCE(NEW.merged_into, '')), (SELECT no FROM uuids WHERE id = COALESCE(NEW.echo_device, '')));
END;
