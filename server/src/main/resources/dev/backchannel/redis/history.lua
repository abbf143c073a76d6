-- ARGV: since. Returns {resumed (1|0), seq, event JSON...}: the events after `since` when the
-- stream still holds all of them (it is capped, so the oldest are trimmed away).
local missing = require_room()
if missing then return missing end
local since = tonumber(ARGV[1])
local seq = tonumber(redis.call('HGET', ROOM, 'seq'))
local floor = seq
local first = redis.call('XRANGE', EVENTS, '-', '+', 'COUNT', 1)
if #first > 0 then floor = tonumber(string.match(first[1][1], '^(%d+)')) - 1 end
if since < floor or since > seq then return { 0, seq } end
local out = { 1, seq }
for _, entry in ipairs(redis.call('XRANGE', EVENTS, (since + 1) .. '-0', '+')) do
  table.insert(out, entry[2][2])
end
return out
