-- Photos as evidence (issue 18). A photo is attached to a place (location),
-- to an answer (a checklist item of the visit or of a location) or to a
-- confidential note, and is scoped like that record. Its bytes live in files
-- beside the database (the blobs/ folder), content-addressed: photo_blobs
-- maps the SHA-256 of the bytes a device sent (the address a device knows)
-- to the file kept, which the server re-encoded without any metadata.

CREATE TABLE photo_blobs (
    sha256        TEXT PRIMARY KEY,          -- of the bytes as the device sent them
    stored_sha256 TEXT NOT NULL,             -- of the file in blobs/ (its name)
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    bytes         INTEGER NOT NULL,          -- of the stored file
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE photos (
    id           TEXT PRIMARY KEY,           -- UUID made by the device
    visit_id     TEXT NOT NULL REFERENCES visits(id),
    region       TEXT NOT NULL,
    location_id  TEXT NOT NULL DEFAULT '',   -- the place ('' for the visit as a whole)
    item         TEXT NOT NULL DEFAULT '',   -- the answer's checklist item ('' for a photo of the place)
    note_id      TEXT NOT NULL DEFAULT '',   -- a confidential note: the photo is confidential too
    caption      TEXT NOT NULL DEFAULT '',
    taken_at     TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,              -- photo_blobs.sha256 once the bytes arrived
    bytes        INTEGER NOT NULL,           -- as declared by the device
    author_id    TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT '',   -- when every byte arrived and was checked
    may_publish  INTEGER NOT NULL DEFAULT 0, -- a coordinator confirmed no person is identifiable
    cleared_by   TEXT NOT NULL DEFAULT '',
    cleared_at   TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT NOT NULL DEFAULT '',   -- a tombstone: the id is never taken again
    deleted_by   TEXT NOT NULL DEFAULT ''
);

CREATE INDEX photos_visit ON photos (visit_id, location_id);
CREATE INDEX photos_sha ON photos (sha256);
