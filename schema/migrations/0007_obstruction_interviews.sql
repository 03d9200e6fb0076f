-- Obstruction of a visit as data, and the interview module (issue 13).
--
-- A visit records when the team arrived at the gate and when it was let in,
-- how many NPM members entered (against the cap for the visit's kind), and
-- whether the Ombudsperson's representative stayed during the private
-- interviews. Each refusal or delay of access (an area, documents, a person,
-- the team's devices) is an obstruction record, so that they can be counted
-- across visits; its note is personal text that reports never print.
ALTER TABLE visits ADD COLUMN arrived_at TEXT;
ALTER TABLE visits ADD COLUMN admitted_at TEXT;
ALTER TABLE visits ADD COLUMN team_size INTEGER;
ALTER TABLE visits ADD COLUMN rep_in_interviews TEXT NOT NULL DEFAULT '';

CREATE TABLE obstructions (
    id           TEXT PRIMARY KEY,
    visit_id     TEXT NOT NULL REFERENCES visits(id),
    kind         TEXT NOT NULL DEFAULT '',  -- refused, delayed
    target       TEXT NOT NULL DEFAULT '',  -- area, documents, person, devices
    minutes      INTEGER,                   -- how long the team waited (delayed) or was kept out
    reason_given TEXT NOT NULL DEFAULT '',  -- the reason the staff gave, as a category
    note         TEXT NOT NULL DEFAULT '',  -- personal text: never in a report
    created_by   TEXT REFERENCES users(id),
    deleted      INTEGER NOT NULL DEFAULT 0,
    seq          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX obstructions_visit ON obstructions(visit_id);

-- One private interview: no name and nothing identifying. Every field but the
-- ids is confidential (its author and the region's coordinator only); a
-- report gets counts of them, with the small-count rule.
CREATE TABLE interviews (
    id               TEXT PRIMARY KEY,
    visit_id         TEXT NOT NULL REFERENCES visits(id),
    private_setting  INTEGER NOT NULL DEFAULT 0,
    present          TEXT NOT NULL DEFAULT '[]', -- JSON array: who else was present
    consent          INTEGER NOT NULL DEFAULT 0,
    fear_of_reprisal INTEGER NOT NULL DEFAULT 0,
    complaints       TEXT NOT NULL DEFAULT '[]', -- JSON array of complaint categories
    follow_up        INTEGER NOT NULL DEFAULT 0,
    author_id        TEXT NOT NULL REFERENCES users(id),
    deleted          INTEGER NOT NULL DEFAULT 0,
    seq              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX interviews_visit ON interviews(visit_id);
