-- The room as the organizer's list shows it: {room fields, current ratings}. MemoryRoom.summary.
local missing = require_room()
if missing then return missing end
local ratings = 0
for _, n in ipairs(redis.call('HVALS', NETWORK_RATINGS)) do ratings = ratings + tonumber(n) end
return { room_fields(), ratings }
