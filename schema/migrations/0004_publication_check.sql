-- Free text a report prints (location labels, recommendation texts, notes
-- cleared for publication) is checked before a visit is approved (issue 12).
-- A text flagged as looking like a person's name, a date of birth or an IIN
-- is printed only once a coordinator cleared that very text: the clearance
-- holds the SHA-256 of the text, so a changed text is checked again.
CREATE TABLE text_clearances (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    cleared_by  TEXT NOT NULL REFERENCES users(id),
    cleared_at  TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, field)
) WITHOUT ROWID;

-- The check as the coordinator saw it when approving a visit.
CREATE TABLE publication_checks (
    id          INTEGER PRIMARY KEY,
    visit_id    TEXT NOT NULL REFERENCES visits(id),
    checked_by  TEXT NOT NULL REFERENCES users(id),
    checked_at  TEXT NOT NULL,
    texts       INTEGER NOT NULL, -- texts the reports would print
    flagged     INTEGER NOT NULL, -- of which flagged
    cleared     INTEGER NOT NULL, -- of the flagged, cleared by a coordinator
    check_sha256 TEXT NOT NULL,   -- of the list as the server built it
    seen        INTEGER NOT NULL  -- the approval named that same list (the coordinator had it on screen)
);
CREATE INDEX publication_checks_visit ON publication_checks(visit_id);
