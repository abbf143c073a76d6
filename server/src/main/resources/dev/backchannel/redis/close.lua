-- ARGV: closedAt (ISO). Turns the room read-only. Returns the event JSON or false when it was closed already.
local missing = require_room()
if missing then return missing end
if redis.call('HGET', ROOM, 'status') == 'closed' then return false end
redis.call('HSET', ROOM, 'status', 'closed', 'closedAt', ARGV[1])
local e = event({})
e.closed = true
return publish(e)
