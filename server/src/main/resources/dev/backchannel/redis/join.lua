-- ARGV: participantId, nick ('' when anonymous), network (the address's prefix), atMillis,
-- codeHash, inviteHash, signin ('' each when not given). Returns {participant id, created (0|1),
-- verified ('' | code | invite | signin)}. MemoryRoom.join with Admissions.admit: the access check
-- and the join are one step, so a join never slips through a change of the room's access.
local missing = require_room()
if missing then return missing end
local pid, network, code, invite, signin = ARGV[1], ARGV[3], ARGV[5], ARGV[6], ARGV[7]
local key = member_key(pid)
-- Lettuce re-sends a command whose reply was lost with the connection: joining twice is joining once.
if redis.call('EXISTS', key) == 1 then return { pid, 1, redis.call('HGET', key, 'v') or '' } end
if redis.call('SISMEMBER', BANNED_NETWORKS, network) == 1 then
  return fail('forbidden', 'your network is banned from this room')
end
-- Refusals.java says the same words.
local verified, identity = '', nil
if signin ~= '' then
  verified, identity = 'signin', 'signin:' .. signin
else
  local access = cjson.decode(redis.call('HGET', SETTINGS, 'access') or '"open"')
  if access == 'code' then
    if code == '' then return fail('forbidden', "this room asks for its code") end
    local stored = redis.call('HGET', SETTINGS, 'joinCodeHash')
    if not stored or cjson.decode(stored) ~= code then return fail('forbidden', "this is not the room's code") end
    verified = 'code'
  elseif access == 'invite' then
    if invite == '' then return fail('forbidden', 'this room is by invitation: use the link or code of yours') end
    if not redis.call('HGET', IDENTITIES, 'invite:' .. invite) then
      return fail('forbidden', "this is not one of this room's invitations")
    end
    verified, identity = 'invite', 'invite:' .. invite
  elseif access == 'signin' then
    return fail('forbidden', 'this room is for signed-in participants: sign in to join')
  end
end
if identity then
  local bound = redis.call('HGET', IDENTITIES, identity)
  if bound and bound ~= '' then return { bound, 0, verified } end
  redis.call('HSET', IDENTITIES, identity, pid)
end
redis.call('HSET', key, 'k', 0, 'banned', 0, 'net', network, 'j', ARGV[4])
if ARGV[2] ~= '' then redis.call('HSET', key, 'nick', ARGV[2]) end
if verified ~= '' then redis.call('HSET', key, 'v', verified) end
redis.call('RPUSH', MEMBERS, pid)
-- Moderators name a network by its label: kept at join, so a decision finds it without hashing
-- every member's network.
local salt = redis.call('HGET', ROOM, 'salt') or ''
redis.call('HSET', LABELS, 'n' .. string.sub(redis.sha1hex(salt .. '|' .. network), 1, 10), network)
return { pid, 1, verified }
