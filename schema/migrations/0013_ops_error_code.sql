-- The code of a rejected operation's error (invalid, forbidden, locked, ...):
-- a push sent again gets its rejections back with the code the first answer
-- had (docs/protocol.md, "Push"). Rejections logged before this migration have none.
ALTER TABLE ops ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
