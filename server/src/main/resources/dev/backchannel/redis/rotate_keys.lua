-- ARGV: speaker key hash (base64) and sealed key, moderator key hash and sealed key ('' each for a
-- role whose key stays). Returns {room fields, event JSON or false}. MemoryRoom.rotateKeys.
local missing = require_room()
if missing then return missing end
local revoked = {}
if ARGV[1] ~= '' then
  redis.call('HSET', ROOM, 'skh', ARGV[1])
  redis.call('HSET', SETTINGS, 'speakerKeySealed', cjson.encode(ARGV[2]))
  table.insert(revoked, 'speaker')
end
if ARGV[3] ~= '' then
  redis.call('HSET', ROOM, 'mkh', ARGV[3])
  redis.call('HSET', SETTINGS, 'moderatorKeySealed', cjson.encode(ARGV[4]))
  table.insert(revoked, 'moderator')
end
local published = false
if #revoked > 0 then
  local e = event({})
  e.revoked = revoked
  published = publish(e)
end
return { room_fields(), published }
