-- ARGV: participantId, cid. The answer already given to that cid, or false.
local missing = require_room()
if missing then return missing end
return redis.call('GET', P .. ':ack:' .. ARGV[1] .. ':' .. ARGV[2])
