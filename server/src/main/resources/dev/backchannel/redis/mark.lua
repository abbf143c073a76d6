-- ARGV: postId, mark (visible|answered|highlighted|hidden), moderator (1|0).
-- Returns {post JSON, event JSON or false}. Only moderators hide a post or touch a hidden one.
local missing = require_room()
if missing then return missing end
local id, mark = ARGV[1], ARGV[2]
local key = post_key(id)
if redis.call('EXISTS', key) == 0 then return fail('not_found', 'no such post') end
local current = redis.call('HGET', key, 'mk')
if ARGV[3] ~= '1' and (mark == 'hidden' or current == 'hidden') then
  return fail('forbidden', 'only moderators hide and unhide posts')
end
if current == mark then return { cjson.encode(render(id)), false } end
local touched = {}
local highlighted = redis.call('HGET', ROOM, 'hl')
if mark == 'highlighted' and highlighted ~= '' and highlighted ~= id then
  redis.call('HSET', post_key(highlighted), 'mk', 'visible')
  recompute(highlighted)
  table.insert(touched, changed(highlighted))
end
if current == 'highlighted' then redis.call('HSET', ROOM, 'hl', '') end
if mark == 'highlighted' then redis.call('HSET', ROOM, 'hl', id) end
redis.call('HSET', key, 'mk', mark)
recompute(id)
local post = changed(id)
table.insert(touched, post)
return { cjson.encode(post), publish(event(touched)) }
