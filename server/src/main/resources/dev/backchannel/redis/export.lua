-- Everything a moderator downloads: {room hash (flat), {post JSON...}, {rating "post:participant:value:weight:at"...},
-- {participant JSON...}}, read in one atomic step.
local missing = require_room()
if missing then return missing end
local posts, ratings, people = {}, {}, {}
local count = tonumber(redis.call('HGET', ROOM, 'posts'))
for n = 1, count do
  local id = post_id(n)
  table.insert(posts, cjson.encode(render(id)))
  local flat = redis.call('HGETALL', ratings_key(id))
  for i = 1, #flat, 2 do table.insert(ratings, id .. ':' .. flat[i] .. ':' .. flat[i + 1]) end
end
for _, pid in ipairs(redis.call('LRANGE', MEMBERS, 0, -1)) do
  local m = hash(member_key(pid))
  table.insert(people, cjson.encode({ id = pid, nick = m.nick or cjson.null, karma = exact(karma(tonumber(m.k))),
    banned = m.banned == '1', verified = m.v or cjson.null }))
end
return { room_fields(), posts, ratings, people }
