-- Every write transaction asks whether the checklists changed since the
-- catalog was cached (store.Tx.Checklists) by reading each checklist's digest.
-- The digest is stored after the body (about 100 KB a checklist), so that read
-- went through every body's overflow pages: about 2 ms a transaction, as much
-- as applying a small push. This index answers it on its own.
CREATE INDEX checklists_digest ON checklists(id, version, digest);
