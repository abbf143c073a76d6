-- Re-tests the watched posts when anything was rated, posted or banned since the last sweep (a venue
-- network's usual share moves with each). Returns the event JSON or false. MemoryRoom.sweep.
local missing = require_room()
if missing then return missing end
if redis.call('HGET', ROOM, 'sweep') ~= '1' then return false end
redis.call('HSET', ROOM, 'sweep', 0)
return retest(redis.call('ZRANGE', WATCHED, 0, -1))
