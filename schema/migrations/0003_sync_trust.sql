-- Sync protocol 1.1 (docs/protocol.md): database generations, bounded clocks,
-- and pulls that leave out a device's own writes.

-- The database's generation: one row made with the database, one more per
-- restore from a backup. A restore keeps the history up to start_seq and moves
-- the sequence to first_seq: sequences strictly between the two were issued
-- only in the history the restore lost.
CREATE TABLE generations (
    id         TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    start_seq  INTEGER NOT NULL,
    first_seq  INTEGER NOT NULL,
    source     TEXT NOT NULL DEFAULT ''  -- the backup file a restore came from
);
INSERT INTO generations (id, started_at, start_seq, first_seq)
    SELECT lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), value, value FROM sync_seq;

-- The latest bounded clock stamp stored for a device's operations: its next
-- operation is stamped later, so a device's own writes keep their order.
ALTER TABLE devices ADD COLUMN last_hlc TEXT NOT NULL DEFAULT '';

-- 1 when the device itself was revoked (a lost or seized phone, or its own
-- sign-out): it is told to wipe its data. Tokens revoked with all of a user's
-- (a password reset, a new role) only make the device sign in again.
ALTER TABLE devices ADD COLUMN wipe INTEGER NOT NULL DEFAULT 0;

-- The device whose own operation, stored exactly as sent, is the record's
-- latest change: pull leaves the record out for that device (no echo).
ALTER TABLE record_index ADD COLUMN echo_device TEXT NOT NULL DEFAULT '';
