-- ARGV: proposed secret. The token secret all nodes share: the first one proposed wins.
-- KEYS[1] is "bc:{secret}" here, not a room.
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
