-- ARGV: pairs of (setting name, JSON value); "title" is the room's title as plain text and
-- "venueNetworks" a JSON array kept in VENUE. Returns {room fields, event JSON or false}.
-- MemoryRoom.configure: the public fields that changed make one event.
local missing = require_room()
if missing then return missing end
local described = {}
local changed = false
local venue_changed = false
for i = 1, #ARGV, 2 do
  local name, value = ARGV[i], ARGV[i + 1]
  if name == 'title' then
    if redis.call('HGET', ROOM, 'title') ~= value then
      redis.call('HSET', ROOM, 'title', value)
      described.title = value
      changed = true
    end
  elseif name == 'venueNetworks' then
    local before = table.concat(redis.call('LRANGE', VENUE, 0, -1), ' ')
    local prefixes = cjson.decode(value)
    redis.call('DEL', VENUE)
    for _, prefix in ipairs(prefixes) do redis.call('RPUSH', VENUE, prefix) end
    venue_changed = table.concat(prefixes, ' ') ~= before
  else
    local old = redis.call('HGET', SETTINGS, name)
    redis.call('HSET', SETTINGS, name, value)
    if (name == 'language' or name == 'access') and old ~= value then
      local default = name == 'language' and 'en' or 'open'
      if cjson.decode(old or cjson.encode(default)) ~= cjson.decode(value) then
        described[name] = cjson.decode(value)
        changed = true
      end
    end
  end
end
local published = false
if venue_changed then published = retest(redis.call('ZRANGE', WATCHED, 0, -1)) end
if changed then
  local e = event({})
  e.described = described
  published = publish(e)
end
return { room_fields(), published }
