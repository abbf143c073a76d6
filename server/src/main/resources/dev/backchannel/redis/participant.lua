-- ARGV: participantId. A flat array of the participant's hash.
local missing = require_room()
if missing then return missing end
local key = member_key(ARGV[1])
if redis.call('EXISTS', key) == 0 then return fail('not_found', 'no such participant') end
return redis.call('HGETALL', key)
