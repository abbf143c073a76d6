-- The evidence JSON of every watched post with a network the hold test flags (as of its last
-- weighing) or a moderator decided about. MemoryRoom.heldEvidence.
local missing = require_room()
if missing then return missing end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', WATCHED, 0, -1)) do
  if tonumber(redis.call('HGET', post_key(id), 'fl') or '0') > 0 or redis.call('EXISTS', decisions_key(id)) == 1 then
    table.insert(out, evidence(id))
  end
end
return out
