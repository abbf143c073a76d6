-- Shared by every Backchannel script: prepended to each one when it is loaded. The {{...}}
-- placeholders are the scoring constants of the server's configuration (ScoringRules).
-- KEYS[1] is the room's key prefix "bc:{slug}": every key below shares its hash tag, so each
-- script touches one Cluster slot.
local P = KEYS[1]
local UNITS = 10000
local W_SLOPE, W_MIN, W_MAX = {{weightSlope}}, {{weightMin}}, {{weightMax}}
local PRIOR_SLOPE, PRIOR_LIMIT, PRIOR_WEIGHT = {{priorSlope}}, {{priorLimit}}, {{priorWeight}}
local KARMA_DIVISOR, DAMPING = {{karmaDivisor}}, {{divergenceDamping}}
local COLLAPSE_SCORE, COLLAPSE_MIN, DIVERGENT_MIN = {{collapseScore}}, {{collapseMinRatings}}, {{divergentMinRatings}}

local ROOM = P .. ':room'
local MEMBERS = P .. ':members'
local EVENTS = P .. ':ev'
local WAKE = P .. ':wake'
local ORDERS = { top = P .. ':z:top', divergent = P .. ':z:div', new = P .. ':z:new' }

local function fail(code, message)
  return redis.error_reply(code .. ' ' .. message)
end

-- Java's Math.round for the values we meet: half up.
local function round(x)
  return math.floor(x + 0.5)
end

local function sign(x)
  if x > 0 then return 1 elseif x < 0 then return -1 else return 0 end
end

local function clamp(x, lo, hi)
  if x < lo then return lo elseif x > hi then return hi else return x end
end

local function karma(units)
  return units / (KARMA_DIVISOR * UNITS)
end

local function weight_units(k)
  return round(clamp(1 + W_SLOPE * sign(k) * math.log(1 + math.abs(k) / 5), W_MIN, W_MAX) * UNITS)
end

local function prior_units(k)
  return round(clamp(PRIOR_SLOPE * sign(k) * math.log(1 + math.abs(k) / 5), -PRIOR_LIMIT, PRIOR_LIMIT) * UNITS)
end

local function score(s0, s1, prior)
  return (PRIOR_WEIGHT * prior / UNITS + s1 / UNITS) / (PRIOR_WEIGHT + s0 / UNITS)
end

local function divergence(s0, s1, s2, q, n)
  if n == 0 or s0 <= 0 then return 0 end
  local mean = s1 / s0
  local variance = math.max(0, s2 / s0 - mean * mean)
  local sd = math.sqrt(variance)
  local n_eff = s0 * s0 / q
  return math.min(1, sd / 5 * n_eff / (n_eff + DAMPING))
end

local function status_of(mark, sc, n)
  if mark ~= 'visible' then return mark end
  if n >= COLLAPSE_MIN and sc <= COLLAPSE_SCORE then return 'collapsed' end
  return 'visible'
end

-- Doubles travel as strings with 17 significant digits: exact, unlike cjson's 14.
local function exact(x)
  return string.format('%.17g', x)
end

local function post_key(id) return P .. ':p:' .. id end
local function member_key(id) return P .. ':m:' .. id end
local function ratings_key(post) return P .. ':r:' .. post end
local function rated_key(member) return P .. ':mr:' .. member end

local function post_id(number)
  local digits = '0123456789abcdefghijklmnopqrstuvwxyz'
  local s, n = '', number
  repeat
    local d = n % 36
    s = string.sub(digits, d + 1, d + 1) .. s
    n = math.floor(n / 36)
  until n == 0
  return 'p' .. s
end

local function order_member(number)
  return string.format('%012d', number)
end

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local out = {}
  for i = 1, #flat, 2 do out[flat[i]] = flat[i + 1] end
  return out
end

local function require_room()
  if redis.call('EXISTS', ROOM) == 0 then return fail('not_found', 'no such room') end
  return nil
end

local function require_open()
  if redis.call('HGET', ROOM, 'status') == 'closed' then return fail('room_closed', 'this room is closed') end
  return nil
end

-- A rating as stored: "value:weight:atMillis".
local function parse_rating(raw)
  if not raw then return nil end
  local v, w, at = string.match(raw, '^(-?%d+):(%d+):(%d+)$')
  return { value = tonumber(v), weight = tonumber(w), at = at }
end

-- The post as the wire shows it, plus its creation number; doubles as exact strings.
local function render(id)
  local p = hash(post_key(id))
  -- Two fields, not the whole member hash: this runs for every rating.
  local nick, k = unpack(redis.call('HMGET', member_key(p.a), 'nick', 'k'))
  return {
    id = id, number = tonumber(p.n),
    author = { id = p.a, nick = nick or cjson.null, karma = exact(karma(tonumber(k or '0'))) },
    text = p.t, replyTo = (p.r ~= nil and p.r ~= '') and p.r or cjson.null, createdAt = p.c,
    score = p.sc, divergence = p.dv, ratings = tonumber(p.cnt), status = p.st
  }
end

-- Recomputes a post's score, divergence and status from its sums and keeps the orderings in step.
local function recompute(id)
  local key = post_key(id)
  local p = hash(key)
  local s0, s1, s2, q, n = tonumber(p.s0), tonumber(p.s1), tonumber(p.s2), tonumber(p.q), tonumber(p.cnt)
  local sc = score(s0, s1, tonumber(p.pr))
  local dv = divergence(s0, s1, s2, q, n)
  local st = status_of(p.mk, sc, n)
  redis.call('HSET', key, 'sc', exact(sc), 'dv', exact(dv), 'st', st)
  local member = order_member(tonumber(p.n))
  local was_hidden = p.st == 'hidden'
  if st == 'hidden' then
    redis.call('ZREM', ORDERS.top, member)
    redis.call('ZREM', ORDERS.divergent, member)
    redis.call('ZREM', ORDERS.new, member)
    if not was_hidden then redis.call('HINCRBY', ROOM, 'visible', -1) end
  else
    redis.call('ZADD', ORDERS.top, exact(sc), member)
    redis.call('ZADD', ORDERS.new, tonumber(p.n), member)
    if n >= DIVERGENT_MIN then
      redis.call('ZADD', ORDERS.divergent, exact(dv), member)
    else
      redis.call('ZREM', ORDERS.divergent, member)
    end
    if was_hidden then redis.call('HINCRBY', ROOM, 'visible', 1) end
  end
end

-- Moves a rating of `member` on post `id` from `old` to `new` (either may be nil): the post's sums,
-- the author's karma and both rating indexes. The weight a rating was given with stays with it.
local function count(id, member, old, new)
  local key = post_key(id)
  local d0, d1, d2, dq, dn = 0, 0, 0, 0, 0
  if old then
    d0 = d0 - old.weight; d1 = d1 - old.weight * old.value; d2 = d2 - old.weight * old.value * old.value
    dq = dq - old.weight * old.weight; dn = dn - 1
  end
  if new then
    d0 = d0 + new.weight; d1 = d1 + new.weight * new.value; d2 = d2 + new.weight * new.value * new.value
    dq = dq + new.weight * new.weight; dn = dn + 1
    local raw = new.value .. ':' .. new.weight .. ':' .. new.at
    redis.call('HSET', ratings_key(id), member, raw)
    redis.call('HSET', rated_key(member), id, raw)
  else
    redis.call('HDEL', ratings_key(id), member)
    redis.call('HDEL', rated_key(member), id)
  end
  redis.call('HINCRBY', key, 's0', d0)
  redis.call('HINCRBY', key, 's1', d1)
  redis.call('HINCRBY', key, 's2', d2)
  redis.call('HINCRBY', key, 'q', dq)
  redis.call('HINCRBY', key, 'cnt', dn)
  redis.call('HINCRBY', member_key(redis.call('HGET', key, 'a')), 'k', d1)
end

-- Gives the change the room's next seq, appends it to the capped stream and wakes other nodes.
local function publish(event)
  local seq = redis.call('HINCRBY', ROOM, 'seq', 1)
  event.seq = seq
  local json = cjson.encode(event)
  local limit = redis.call('HGET', ROOM, 'hist')
  redis.call('XADD', EVENTS, 'MAXLEN', limit, seq .. '-1', 'e', json)
  redis.call('PUBLISH', WAKE, seq)
  return json
end

local function event(posts)
  return { posts = posts, closed = false, banned = cjson.null, rating = cjson.null }
end

local function active_member(id)
  local key = member_key(id)
  if redis.call('EXISTS', key) == 0 then return nil, fail('unauthorized', 'unknown participant') end
  local banned, k = unpack(redis.call('HMGET', key, 'banned', 'k'))
  if banned == '1' then return nil, fail('forbidden', 'you are banned from this room') end
  return { k = k }, nil
end
