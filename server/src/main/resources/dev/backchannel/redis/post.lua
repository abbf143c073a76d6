-- ARGV: participantId, cid, text, replyTo ('' for none), createdAt (ISO), ackTtlSeconds
-- Returns {answer JSON, event JSON or false}; the answer is what a retried cid gets again.
local missing = require_room()
if missing then return missing end
local pid, cid, text, reply_to, created_at, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ack_key = P .. ':ack:' .. pid .. ':' .. cid
local earlier = redis.call('GET', ack_key)
if earlier then return { earlier, false } end
local author, refused = active_member(pid)
if refused then return refused end
local closed = require_open()
if closed then return closed end
if reply_to ~= '' then
  local parent = post_key(reply_to)
  if redis.call('EXISTS', parent) == 0 or redis.call('HGET', parent, 'mk') == 'hidden' then
    return fail('not_found', 'replyTo names no post of this room')
  end
end
local number = redis.call('HINCRBY', ROOM, 'posts', 1)
local id = post_id(number)
redis.call('HSET', post_key(id), 'n', number, 'a', pid, 't', text, 'r', reply_to, 'c', created_at,
  'pr', prior_units(karma(tonumber(author.k))), 's0', 0, 's1', 0, 's2', 0, 'q', 0, 'cnt', 0,
  'mk', 'visible', 'st', 'hidden', 'ks', 0, 'held', 0, 'fl', 0)
-- st starts as 'hidden' so that reweigh counts the new post as it becomes visible.
reweigh(id)
sweep_due() -- one more post: every venue network's usual share per post shrank
local post = changed(id)
local answer = cjson.encode(post)
redis.call('SET', ack_key, answer, 'EX', ttl)
return { answer, publish(event({ post })) }
