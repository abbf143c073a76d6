-- ARGV: node, ttlSeconds. Refreshes this node's set and counts distinct participants online on
-- any live node (a participant with sockets on two nodes counts once).
redis.call('EXPIRE', P .. ':on:' .. ARGV[1], ARGV[2])
local seen, count = {}, 0
for _, node in ipairs(redis.call('SMEMBERS', P .. ':nodes')) do
  local key = P .. ':on:' .. node
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', P .. ':nodes', node)
  else
    for _, pid in ipairs(redis.call('HKEYS', key)) do
      if not seen[pid] then
        seen[pid] = true
        count = count + 1
      end
    end
  end
end
return count
