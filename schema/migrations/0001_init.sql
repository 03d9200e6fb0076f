-- Inspecta data model, version 1.
-- Synced records (facility, visit, location, observation, consolidation,
-- recommendation, confidential_note) have a client-generated UUIDv7 id, a
-- "deleted" tombstone flag and "seq", the server sequence of their last change.
-- Their per-field versions live in record_index (see SYNC.md).

CREATE TABLE regions (
    code    TEXT PRIMARY KEY,           -- ISO 3166-2:KZ, e.g. KZ-KAR
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('region', 'city'))
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('member', 'coordinator', 'staff', 'admin')),
    region        TEXT REFERENCES regions(code),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    scope_epoch   INTEGER NOT NULL DEFAULT 1, -- bumped when what the user may see changes
    demo          INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (role IN ('staff', 'admin') OR region IS NOT NULL)
);

CREATE TABLE devices (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL DEFAULT '',
    token_hash       TEXT NOT NULL UNIQUE, -- sha256 of the bearer token; the token itself is never stored
    created_at       TEXT NOT NULL,
    last_seen_at     TEXT,
    revoked_at       TEXT,
    revoked_by       TEXT REFERENCES users(id),
    scope_epoch_seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_user ON devices(user_id);

CREATE TABLE facilities (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    type       TEXT NOT NULL DEFAULT 'other',
    authority  TEXT NOT NULL DEFAULT '',
    region     TEXT NOT NULL REFERENCES regions(code),
    address    TEXT NOT NULL DEFAULT '',
    capacity   INTEGER,
    built_year INTEGER,
    verified   INTEGER NOT NULL DEFAULT 0,
    demo       INTEGER NOT NULL DEFAULT 0,
    created_by TEXT REFERENCES users(id),
    deleted    INTEGER NOT NULL DEFAULT 0,
    seq        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX facilities_region ON facilities(region);

CREATE TABLE visits (
    id                       TEXT PRIMARY KEY,
    facility_id              TEXT NOT NULL REFERENCES facilities(id),
    kind                     TEXT NOT NULL DEFAULT 'regular',
    announced                INTEGER NOT NULL DEFAULT 0,
    started_at               TEXT,
    ended_at                 TEXT,
    team                     TEXT NOT NULL DEFAULT '[]', -- JSON array of user ids
    ombudsperson_rep_present INTEGER NOT NULL DEFAULT 0,
    access_refused           INTEGER NOT NULL DEFAULT 0,
    status                   TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved')),
    checklist                TEXT NOT NULL DEFAULT '',
    demo                     INTEGER NOT NULL DEFAULT 0,
    created_by               TEXT REFERENCES users(id),
    deleted                  INTEGER NOT NULL DEFAULT 0,
    seq                      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_facility ON visits(facility_id);

-- Who is on a visit's team, kept in step with visits.team for scope queries.
CREATE TABLE visit_team (
    visit_id TEXT NOT NULL REFERENCES visits(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (visit_id, user_id)
) WITHOUT ROWID;
CREATE INDEX visit_team_user ON visit_team(user_id);

-- Every status change of a visit (submitted, approved, reopened), with who and why.
CREATE TABLE visit_status_history (
    id         INTEGER PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits(id),
    status     TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    changed_by TEXT REFERENCES users(id),
    changed_at TEXT NOT NULL
);
CREATE INDEX visit_status_history_visit ON visit_status_history(visit_id);

CREATE TABLE locations (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES visits(id),
    label      TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL DEFAULT 'cell',
    created_by TEXT REFERENCES users(id),
    deleted    INTEGER NOT NULL DEFAULT 0,
    seq        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX locations_visit ON locations(visit_id);

-- One member's answer to one checklist item. location_id is '' for visit-level items
-- so that the unique key below works (NULLs are never equal in SQLite).
CREATE TABLE observations (
    id          TEXT PRIMARY KEY,
    visit_id    TEXT NOT NULL REFERENCES visits(id),
    location_id TEXT NOT NULL DEFAULT '',
    item        TEXT NOT NULL,
    value       TEXT,            -- JSON, typed per the checklist item
    note        TEXT NOT NULL DEFAULT '',
    author_id   TEXT NOT NULL REFERENCES users(id),
    deleted     INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX observations_key ON observations(visit_id, location_id, item, author_id);

-- The coordinator's decision for (visit, location, item).
CREATE TABLE consolidations (
    id             TEXT PRIMARY KEY,
    visit_id       TEXT NOT NULL REFERENCES visits(id),
    location_id    TEXT NOT NULL DEFAULT '',
    item           TEXT NOT NULL,
    value          TEXT,          -- JSON
    reason         TEXT NOT NULL DEFAULT '',
    observation_id TEXT NOT NULL DEFAULT '',
    decided_by     TEXT REFERENCES users(id),
    deleted        INTEGER NOT NULL DEFAULT 0,
    seq            INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX consolidations_key ON consolidations(visit_id, location_id, item);

CREATE TABLE recommendations (
    id               TEXT PRIMARY KEY,
    facility_id      TEXT NOT NULL REFERENCES facilities(id),
    visit_id         TEXT NOT NULL DEFAULT '',
    text             TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    addressee        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'open',
    checked_visit_id TEXT NOT NULL DEFAULT '',
    created_by       TEXT REFERENCES users(id),
    deleted          INTEGER NOT NULL DEFAULT 0,
    seq              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recommendations_facility ON recommendations(facility_id);

-- Every status a recommendation has had, dated, with the visit where it was checked.
CREATE TABLE recommendation_status_history (
    id                INTEGER PRIMARY KEY,
    recommendation_id TEXT NOT NULL REFERENCES recommendations(id),
    status            TEXT NOT NULL,
    visit_id          TEXT NOT NULL DEFAULT '',
    changed_by        TEXT REFERENCES users(id),
    changed_at        TEXT NOT NULL
);
CREATE INDEX recommendation_status_history_rec ON recommendation_status_history(recommendation_id);

-- Interview and allegation notes. Stored apart from everything that is exported;
-- visible to the author and the region's coordinator only; never in a report.
CREATE TABLE confidential_notes (
    id                 TEXT PRIMARY KEY,
    visit_id           TEXT NOT NULL REFERENCES visits(id),
    location_id        TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL DEFAULT '',
    consent_to_publish INTEGER NOT NULL DEFAULT 0,
    author_id          TEXT NOT NULL REFERENCES users(id),
    deleted            INTEGER NOT NULL DEFAULT 0,
    seq                INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX confidential_notes_visit ON confidential_notes(visit_id);

-- Free text a coordinator cleared for publication in reports (OPCAT Art. 21(2)):
-- an observation's text value or note marked personal by the template stays out of
-- every export unless it is listed here.
CREATE TABLE publication_clearances (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    cleared_by  TEXT NOT NULL REFERENCES users(id),
    cleared_at  TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, field)
) WITHOUT ROWID;

-- ---------------------------------------------------------------- sync bookkeeping

-- The single increasing server sequence (SYNC.md principle 3).
CREATE TABLE sync_seq (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO sync_seq (id, value) VALUES (1, 0);

-- One row per synced record: its latest sequence, what decides who may see it,
-- and the version (sequence, HLC, device) of each of its fields.
CREATE TABLE record_index (
    type        TEXT NOT NULL,
    id          TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    region      TEXT NOT NULL,
    visit_id    TEXT NOT NULL DEFAULT '',
    author_id   TEXT NOT NULL DEFAULT '',
    deleted     INTEGER NOT NULL DEFAULT 0,
    versions    TEXT NOT NULL DEFAULT '{}', -- {"field": {"seq": n, "hlc": "…", "device": "…"}}
    merged_into TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (type, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX record_index_seq ON record_index(seq);
CREATE INDEX record_index_region_seq ON record_index(region, seq);
CREATE INDEX record_index_visit ON record_index(visit_id);

-- Every operation ever received, applied or not: idempotency by op_id and the
-- operation log behind the audit trail.
CREATE TABLE ops (
    op_id       TEXT PRIMARY KEY,
    seq         INTEGER,           -- NULL when rejected
    device_id   TEXT NOT NULL DEFAULT '',
    user_id     TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    hlc         TEXT NOT NULL DEFAULT '',
    fields      TEXT NOT NULL DEFAULT '{}', -- JSON of the fields as applied
    status      TEXT NOT NULL,     -- applied, conflict, rejected
    conflict_id TEXT NOT NULL DEFAULT '',
    error_field TEXT NOT NULL DEFAULT '',
    error_msg   TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
CREATE INDEX ops_record ON ops(type, record_id);
CREATE INDEX ops_seq ON ops(seq);

-- Concurrent writes to one field: the losing value, kept for a coordinator.
CREATE TABLE conflicts (
    id             TEXT PRIMARY KEY,
    type           TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    field          TEXT NOT NULL,
    visit_id       TEXT NOT NULL DEFAULT '',
    region         TEXT NOT NULL DEFAULT '',
    winner_value   TEXT,
    winner_hlc     TEXT NOT NULL DEFAULT '',
    winner_device  TEXT NOT NULL DEFAULT '',
    loser_value    TEXT,
    loser_hlc      TEXT NOT NULL DEFAULT '',
    loser_device   TEXT NOT NULL DEFAULT '',
    loser_user     TEXT NOT NULL DEFAULT '',
    op_id          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    resolved_at    TEXT,
    resolved_by    TEXT,
    resolved_op_id TEXT
);
CREATE INDEX conflicts_visit ON conflicts(visit_id);
CREATE INDEX conflicts_record ON conflicts(type, record_id, field);

-- Operations that failed validation, kept verbatim.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    op_id       TEXT NOT NULL DEFAULT '',
    device_id   TEXT NOT NULL DEFAULT '',
    user_id     TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    raw         TEXT NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Sign-ins, revocations and other account events for the audit trail.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    remote     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
