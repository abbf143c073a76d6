-- ARGV: node, participantId, online (1|0), ttlSeconds. This node's own set of online participants
-- of the room; it expires unless refreshed, so a node that dies stops counting.
local key = P .. ':on:' .. ARGV[1]
if ARGV[3] == '1' then
  redis.call('HSET', key, ARGV[2], 1)
  redis.call('SADD', P .. ':nodes', ARGV[1])
else
  redis.call('HDEL', key, ARGV[2])
end
redis.call('EXPIRE', key, ARGV[4])
return 'OK'
