-- The room's current seq, or 0 when the room does not exist (yet).
return tonumber(redis.call('HGET', ROOM, 'seq') or '0')
