-- ARGV: the entry as JSON, the most entries kept. Appends to the audit log, dropping the oldest.
local missing = require_room()
if missing then return missing end
redis.call('RPUSH', AUDIT, ARGV[1])
redis.call('LTRIM', AUDIT, -tonumber(ARGV[2]), -1)
return 'OK'
