-- ARGV: participantId, nick ('' when anonymous), network (the address's prefix), atMillis
local missing = require_room()
if missing then return missing end
local key = member_key(ARGV[1])
-- Lettuce re-sends a command whose reply was lost with the connection: joining twice is joining once.
if redis.call('EXISTS', key) == 1 then return 'OK' end
local network = ARGV[3]
if redis.call('SISMEMBER', BANNED_NETWORKS, network) == 1 then
  return fail('forbidden', 'your network is banned from this room')
end
redis.call('HSET', key, 'k', 0, 'banned', 0, 'net', network, 'j', ARGV[4])
if ARGV[2] ~= '' then redis.call('HSET', key, 'nick', ARGV[2]) end
redis.call('RPUSH', MEMBERS, ARGV[1])
-- Moderators name a network by its label: kept at join, so a decision finds it without hashing
-- every member's network.
local salt = redis.call('HGET', ROOM, 'salt') or ''
redis.call('HSET', LABELS, 'n' .. string.sub(redis.sha1hex(salt .. '|' .. network), 1, 10), network)
return 'OK'
