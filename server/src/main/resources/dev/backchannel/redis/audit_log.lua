-- The audit log's entries as JSON, oldest first.
local missing = require_room()
if missing then return missing end
return redis.call('LRANGE', AUDIT, 0, -1)
