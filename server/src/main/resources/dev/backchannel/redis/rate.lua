-- ARGV: participantId, cid, postId, value ('' withdraws), atMillis, ackTtlSeconds
-- Returns {answer JSON (with mine), event JSON or false}.
local missing = require_room()
if missing then return missing end
local pid, cid, id, raw, at, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ack_key = P .. ':ack:' .. pid .. ':' .. cid
local earlier = redis.call('GET', ack_key)
if earlier then return { earlier, false } end
local rater, refused = active_member(pid)
if refused then return refused end
local closed = require_open()
if closed then return closed end
local key = post_key(id)
if redis.call('EXISTS', key) == 0 or redis.call('HGET', key, 'mk') == 'hidden' then
  return fail('not_found', 'no such post')
end
if redis.call('HGET', key, 'a') == pid then return fail('forbidden', 'you cannot rate your own post') end
local value = nil
if raw ~= '' then value = tonumber(raw) end
local old = parse_rating(redis.call('HGET', ratings_key(id), pid))
local old_value = old and old.value or nil
local published = false
local post
if old_value ~= value then
  local new = nil
  if value then new = { value = value, weight = rating_weight(rater), at = at } end
  count(id, pid, rater.net, old, new)
  reweigh(id)
  sweep_due()
  post = changed(id) -- once: the event and the answer show the same state (the answer adds `mine`)
  local e = event({ post })
  if new then e.rating = { value = new.value, weight = new.weight } end
  published = publish(e)
else
  post = render(id)
end
if value then post.mine = value end
local answer = cjson.encode(post)
redis.call('SET', ack_key, answer, 'EX', ttl)
return { answer, published }
