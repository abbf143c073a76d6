-- ARGV: hashtag, title, createdAt (ISO), speakerKeyHash, moderatorKeyHash (base64), historyLimit,
-- salt (the secret in the labels of networks staff see)
if redis.call('EXISTS', ROOM) == 1 then
  -- The same request run again (a reply lost with the connection, re-sent by the client library)
  -- carries the same fresh moderator key hash: it created this room, so it succeeds again.
  if redis.call('HGET', ROOM, 'mkh') == ARGV[5] and redis.call('HGET', ROOM, 'status') ~= 'deleted' then
    return 'OK'
  end
  return fail('conflict', 'a room for this hashtag exists already')
end
redis.call('HSET', ROOM, 'hashtag', ARGV[1], 'title', ARGV[2], 'createdAt', ARGV[3], 'skh', ARGV[4],
  'mkh', ARGV[5], 'hist', ARGV[6], 'status', 'open', 'seq', 0, 'posts', 0, 'visible', 0, 'hl', '', 'salt', ARGV[7],
  'sweep', 0)
return 'OK'
