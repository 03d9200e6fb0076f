-- Sign-in protection: device tokens expire unless renewed by use, and failed
-- sign-ins are counted per username and per address to slow and then lock them.
ALTER TABLE devices ADD COLUMN expires_at TEXT NOT NULL DEFAULT '9999-12-31T00:00:00.000Z';

CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,  -- "user:<username>" or "addr:<ip>"
    failures     INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    locked_until TEXT NOT NULL DEFAULT ''
);
