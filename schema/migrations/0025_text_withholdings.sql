-- A free text a coordinator holds back from every report although nothing in
-- it is flagged (schema.FlagPersonalData only finds what looks like a name, a
-- date of birth or an IIN): a photo's caption that tells who is on it while the
-- photo itself may be printed, a place's label or a recommendation that points
-- to one person. Not bound to the text: an edited text stays held back until
-- the coordinator prints it again (the row is deleted).
CREATE TABLE text_withholdings (
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    withheld_by TEXT NOT NULL REFERENCES users(id),
    withheld_at TEXT NOT NULL,
    PRIMARY KEY (record_type, record_id, field)
) WITHOUT ROWID;
