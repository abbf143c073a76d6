-- ARGV: participantId. Every rating of the participant leaves first, then each post is rendered,
-- so all show their authors' karma after the whole ban. Returns the event JSON or false.
local missing = require_room()
if missing then return missing end
local pid = ARGV[1]
local key = member_key(pid)
if redis.call('EXISTS', key) == 0 then return fail('not_found', 'no such participant') end
if redis.call('HGET', key, 'banned') == '1' then return false end
redis.call('HSET', key, 'banned', 1)
local rated = redis.call('HGETALL', rated_key(pid))
local ids = {}
for i = 1, #rated, 2 do
  table.insert(ids, rated[i])
  count(rated[i], pid, parse_rating(rated[i + 1]), nil)
end
local touched = {}
for _, id in ipairs(ids) do
  recompute(id)
  table.insert(touched, render(id))
end
local e = event(touched)
e.banned = pid
return publish(e)
