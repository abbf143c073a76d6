-- ARGV: network label, postId ('' for none), decision (release|confirm|venue|ban).
-- Returns {post JSON or false (no post named), event JSON or false}. MemoryRoom.decide.
local missing = require_room()
if missing then return missing end
local label, id, decision = ARGV[1], ARGV[2], ARGV[3]
if id ~= '' and redis.call('EXISTS', post_key(id)) == 0 then return fail('not_found', 'no such post') end
local network = redis.call('HGET', LABELS, label)
if not network then return fail('not_found', 'no such network in this room') end
local published = false
if decision == 'release' or decision == 'confirm' then
  if id == '' then return fail('invalid', 'release and confirm name a post') end
  local factor = 0
  if decision == 'release' then factor = 1 end
  redis.call('HSET', decisions_key(id), network, factor)
  -- As NetworkRules.special with a decision: with the rule off no network is special (v1).
  if NETWORKS_ENABLED then redis.call('SADD', special_key(id), network) end
  reweigh(id)
  published = publish(event({ changed(id) }))
elseif decision == 'venue' then
  local prefixes = redis.call('LRANGE', VENUE, 0, -1)
  if not venue(network, prefixes) then
    redis.call('RPUSH', VENUE, network)
    published = retest(redis.call('ZRANGE', WATCHED, 0, -1))
  end
elseif decision == 'ban' then
  redis.call('SADD', BANNED_NETWORKS, network)
  local banned = {}
  for _, pid in ipairs(redis.call('LRANGE', MEMBERS, 0, -1)) do
    local g, was = unpack(redis.call('HMGET', member_key(pid), 'net', 'banned'))
    if g == network and was ~= '1' then table.insert(banned, pid) end
  end
  if #banned > 0 then published = ban(banned) end
else
  return fail('invalid', 'unknown decision')
end
local post = false
if id ~= '' then post = cjson.encode(render(id)) end
return { post, published }
