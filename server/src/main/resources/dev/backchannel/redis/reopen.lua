-- Opens a closed room again. Returns {room fields, event JSON or false when it was open}. MemoryRoom.reopen.
local missing = require_room()
if missing then return missing end
if redis.call('HGET', ROOM, 'status') ~= 'closed' then return { room_fields(), false } end
redis.call('HSET', ROOM, 'status', 'open')
redis.call('HDEL', ROOM, 'closedAt')
local e = event({})
e.described = { status = 'open' }
local published = publish(e)
return { room_fields(), published }
