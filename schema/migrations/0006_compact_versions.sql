-- Field versions stored compactly (store/records.go, encodeVersions): the
-- fields that share one version (sequence, clock stamp, device) are grouped
-- under it, and the device is left out when it is the stamp's node (what
-- follows its second slash), as it is for every device's own write:
--   [[seq,"hlc",["field",…]],[seq,"hlc","device",["field",…]],…]
-- in order of (seq, hlc, device), fields sorted. The JSON object of version 1,
-- {"field": {"seq": n, "hlc": "…", "device": "…"}}, repeated the stamp and the
-- device for every field: about 430 of a new observation's 860 bytes of index.
-- Lossless: a missing seq was read as 0, a missing hlc or device as "".
UPDATE record_index SET versions = (
    SELECT '[' || COALESCE(group_concat(grp, ',' ORDER BY s, h, d), '') || ']'
    FROM (
        SELECT s, h, d,
            '[' || s || ',' || json_quote(h) ||
            CASE WHEN d = substr(substr(h, instr(h, '/') + 1), instr(substr(h, instr(h, '/') + 1), '/') + 1)
                THEN '' ELSE ',' || json_quote(d) END ||
            ',[' || group_concat(json_quote(f), ',' ORDER BY f) || ']]' AS grp
        FROM (
            SELECT key AS f,
                COALESCE(json_extract(value, '$.seq'), 0) AS s,
                COALESCE(json_extract(value, '$.hlc'), '') AS h,
                COALESCE(json_extract(value, '$.device'), '') AS d
            FROM json_each(record_index.versions)
        )
        GROUP BY s, h, d
    )
)
WHERE versions LIKE '{%';
