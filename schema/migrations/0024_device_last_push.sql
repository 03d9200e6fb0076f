-- A device's last push kept on its row (the administrator's device list):
-- the list read it as MAX(received_at) over the whole op log, grouped by
-- device, at every call, which grows with the log. The server now writes it
-- when a transaction logs an operation of the device (store.Tx.LogOp, written
-- once before commit); this fills it once from the log as it is.
ALTER TABLE devices ADD COLUMN last_push_at TEXT;

UPDATE devices SET last_push_at = p.at
    FROM (SELECT device_id, MAX(received_at) AS at FROM ops GROUP BY device_id) p
    WHERE p.device_id = devices.id;
