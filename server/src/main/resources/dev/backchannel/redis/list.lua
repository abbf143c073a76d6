-- ARGV: order (top|divergent|new), limit. Post JSON of the first `limit` non-hidden posts.
local missing = require_room()
if missing then return missing end
local out = {}
for _, member in ipairs(redis.call('ZREVRANGE', ORDERS[ARGV[1]], 0, tonumber(ARGV[2]) - 1)) do
  table.insert(out, cjson.encode(render(post_id(tonumber(member)))))
end
return out
