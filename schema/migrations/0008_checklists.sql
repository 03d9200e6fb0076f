-- Checklists as data: every version of every checklist the server has known,
-- and which version of each is given to new visits. A visit keeps the version
-- it was started with (visits.checklist, "id@version") for good, so a version
-- is never changed or deleted once stored. The embedded checklists are loaded
-- as the defaults of a new database (store.seedChecklists).

CREATE TABLE checklists (
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    body        TEXT NOT NULL,            -- the template as JSON (schema.Template)
    digest      TEXT NOT NULL,            -- SHA-256 of body, hex
    source      TEXT NOT NULL CHECK (source IN ('embedded', 'json', 'xlsform')),
    imported_by TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE checklist_active (
    id           TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    activated_by TEXT NOT NULL DEFAULT '',
    activated_at TEXT NOT NULL,
    FOREIGN KEY (id, version) REFERENCES checklists (id, version)
);
