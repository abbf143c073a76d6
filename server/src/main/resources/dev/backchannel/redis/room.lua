-- The room's description: a flat array of its hash.
local missing = require_room()
if missing then return missing end
return room_fields()
