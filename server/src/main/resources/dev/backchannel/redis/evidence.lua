-- ARGV: postId. The post's evidence as JSON (see `evidence` in common.lua).
local missing = require_room()
if missing then return missing end
if redis.call('EXISTS', post_key(ARGV[1])) == 0 then return fail('not_found', 'no such post') end
return evidence(ARGV[1])
