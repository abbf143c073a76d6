-- ARGV: participantId. Every rating of the participant leaves first, then each post is rendered,
-- so all show their authors' karma after the whole ban. Returns the event JSON or false.
local missing = require_room()
if missing then return missing end
local pid = ARGV[1]
local key = member_key(pid)
if redis.call('EXISTS', key) == 0 then return fail('not_found', 'no such participant') end
if redis.call('HGET', key, 'banned') == '1' then return false end
return ban({ pid })
