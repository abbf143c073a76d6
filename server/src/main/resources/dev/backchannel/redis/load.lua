-- Everything a room view starts from, read in one atomic step: {room hash (flat), seq, post JSON...}
-- with every post, hidden ones too, oldest first.
local missing = require_room()
if missing then return missing end
local out = { room_fields(), redis.call('HGET', ROOM, 'seq') }
local count = tonumber(redis.call('HGET', ROOM, 'posts'))
for n = 1, count do
  table.insert(out, cjson.encode(render(post_id(n))))
end
return out
