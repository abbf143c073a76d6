-- ARGV: limit, then pairs of (hash, sealed invitation). Returns the room's number of invitations.
-- MemoryRoom.invite (Admissions).
local missing = require_room()
if missing then return missing end
local limit = tonumber(ARGV[1])
if redis.call('LLEN', INVITES) + (#ARGV - 1) / 2 > limit then
  return fail('invalid', 'a room holds at most ' .. limit .. ' invitations')
end
for i = 2, #ARGV, 2 do
  if redis.call('HEXISTS', IDENTITIES, 'invite:' .. ARGV[i]) == 1 then
    return fail('conflict', 'this invitation exists already')
  end
end
for i = 2, #ARGV, 2 do
  redis.call('RPUSH', INVITES, ARGV[i] .. ' ' .. ARGV[i + 1])
  redis.call('HSET', IDENTITIES, 'invite:' .. ARGV[i], '')
end
return redis.call('LLEN', INVITES)
