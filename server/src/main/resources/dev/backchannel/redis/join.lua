-- ARGV: participantId, nick ('' when anonymous)
local missing = require_room()
if missing then return missing end
local key = member_key(ARGV[1])
redis.call('HSET', key, 'k', 0, 'banned', 0)
if ARGV[2] ~= '' then redis.call('HSET', key, 'nick', ARGV[2]) end
redis.call('RPUSH', MEMBERS, ARGV[1])
return 'OK'
