-- ARGV: participantId. A flat array postId, rating ("value:weight:at").
local missing = require_room()
if missing then return missing end
return redis.call('HGETALL', rated_key(ARGV[1]))
