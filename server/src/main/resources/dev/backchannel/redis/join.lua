-- ARGV: participantId, nick ('' when anonymous)
local missing = require_room()
if missing then return missing end
local key = member_key(ARGV[1])
-- Lettuce re-sends a command whose reply was lost with the connection: joining twice is joining once.
if redis.call('EXISTS', key) == 1 then return 'OK' end
redis.call('HSET', key, 'k', 0, 'banned', 0)
if ARGV[2] ~= '' then redis.call('HSET', key, 'nick', ARGV[2]) end
redis.call('RPUSH', MEMBERS, ARGV[1])
return 'OK'
