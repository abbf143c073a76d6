-- Marks the room deleted: every script answers not_found from now on, and the nodes following it
-- are told at once (a wake-up saying "deleted") to close its sockets. RedisStore.delete then
-- removes its keys. MemoryStore.delete.
local missing = require_room()
if missing then return missing end
redis.call('HSET', ROOM, 'status', 'deleted')
redis.call('PUBLISH', WAKE, 'deleted')
return 'OK'
