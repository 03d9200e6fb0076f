-- The organisation that issues the reports (one row), and the names of a
-- facility, its authority and its address in each language of the reports.
-- The single columns name, authority and address stay: they are the default
-- (as first entered, in any language) that clients of version 1 read and
-- write; a report in language L prints the L column when it is not empty,
-- else the default, else the others in the order ru, kk, en.

CREATE TABLE org_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name_ru       TEXT NOT NULL DEFAULT '',
    name_kk       TEXT NOT NULL DEFAULT '',
    name_en       TEXT NOT NULL DEFAULT '',
    short_name_ru TEXT NOT NULL DEFAULT '',
    short_name_kk TEXT NOT NULL DEFAULT '',
    short_name_en TEXT NOT NULL DEFAULT '',
    what_ru       TEXT NOT NULL DEFAULT '',  -- what it is: "NGO coalition; members of the NPM"
    what_kk       TEXT NOT NULL DEFAULT '',
    what_en       TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    logo_png      BLOB,                      -- checked PNG bytes, at most 256 KiB
    demo          INTEGER NOT NULL DEFAULT 0,
    updated_by    TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT ''
);

ALTER TABLE facilities ADD COLUMN name_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN name_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN authority_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN authority_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN authority_en TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN address_ru TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN address_kk TEXT NOT NULL DEFAULT '';
ALTER TABLE facilities ADD COLUMN address_en TEXT NOT NULL DEFAULT '';
