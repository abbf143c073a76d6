-- Every invitation in the order issued: a flat array of (hash, sealed, participant id or '').
local missing = require_room()
if missing then return missing end
local out = {}
for _, entry in ipairs(redis.call('LRANGE', INVITES, 0, -1)) do
  local space = string.find(entry, ' ', 1, true)
  local hash = string.sub(entry, 1, space - 1)
  table.insert(out, hash)
  table.insert(out, string.sub(entry, space + 1))
  table.insert(out, redis.call('HGET', IDENTITIES, 'invite:' .. hash) or '')
end
return out
