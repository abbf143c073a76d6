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
-- NetworkRules (DESIGN.md v2); NETWORKS_ENABLED false leaves every post without special networks: v1.
local NETWORKS_ENABLED, CAP_UNITS, HOLD_MIN = {{networksEnabled}}, {{capUnits}}, {{holdMinRatings}}
local REFERENCE_MIN_WEIGHT, HOLD_Z, VARIANCE_FLOOR = {{referenceMinWeight}}, {{holdZ}}, {{varianceFloor}}
local HOLD_FULL_DELTA, HOLD_FADE_DELTA, VENUE_FACTOR = {{holdFullDelta}}, {{holdFadeDelta}}, {{venueFactor}}

local ROOM = P .. ':room'
local MEMBERS = P .. ':members'
local EVENTS = P .. ':ev'
local WAKE = P .. ':wake'
local ORDERS = { top = P .. ':z:top', divergent = P .. ':z:div', new = P .. ':z:new' }
local NETWORK_RATINGS = P .. ':gr' -- network -> the room's current ratings from it
local LABELS = P .. ':nl' -- label staff see -> network
local VENUE = P .. ':venue' -- the venue's prefixes, in the order declared
local WATCHED = P .. ':watch' -- posts with special networks, by post number: what a sweep re-tests
local BANNED_NETWORKS = P .. ':gb' -- networks a moderator banned: nobody joins from them again
local SETTINGS = P .. ':set' -- RoomSettings component -> its JSON value (venueNetworks lives in VENUE)
local INVITES = P .. ':inv' -- "<hash> <sealed>" per invitation, in the order issued
local IDENTITIES = P .. ':id' -- identity (invite:<hash>, signin:<hash>) -> participant id ('' while unused)
local AUDIT = P .. ':audit' -- the audit log's entries as JSON, oldest first

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
local function networks_key(post) return P .. ':g:' .. post end
local function special_key(post) return P .. ':sp:' .. post end
local function decisions_key(post) return P .. ':d:' .. post end

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
  -- A room being deleted (RedisStore.delete removes its keys after marking it) is gone already.
  local status = redis.call('HGET', ROOM, 'status')
  if not status or status == 'deleted' then return fail('not_found', 'no such room') end
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
    score = p.sc, divergence = p.dv, ratings = tonumber(p.cnt), status = p.st, held = tonumber(p.held or '0')
  }
end

-- MemoryRoom.changed: the post as an event shows it. Remembers the author's karma it shows: the
-- room views keep that until the post's next event, and a re-test compares against it.
local function changed(id)
  local post = render(id)
  redis.call('HSET', post_key(id), 'ak', post.author.karma)
  return post
end

-- Post.sameNumbers on two renders of one post.
local function same_numbers(a, b)
  return a.score == b.score and a.divergence == b.divergence and a.ratings == b.ratings and a.status == b.status
    and a.held == b.held and a.author.id == b.author.id and a.author.nick == b.author.nick
    and a.author.karma == b.author.karma
end

-- Sets a post's status from its score and keeps the orderings in step; `p` is its hash as it is now
-- (read when not given).
local function recompute(id, p)
  local key = post_key(id)
  p = p or hash(key)
  local sc, dv, n = tonumber(p.sc), tonumber(p.dv), tonumber(p.cnt)
  local st = status_of(p.mk, sc, n)
  redis.call('HSET', key, 'st', st)
  local member = order_member(tonumber(p.n))
  local was_hidden = p.st == 'hidden'
  if st == 'hidden' then
    redis.call('ZREM', ORDERS.top, member)
    redis.call('ZREM', ORDERS.divergent, member)
    redis.call('ZREM', ORDERS.new, member)
    if not was_hidden then redis.call('HINCRBY', ROOM, 'visible', -1) end
  else
    redis.call('ZADD', ORDERS.top, p.sc, member)
    redis.call('ZADD', ORDERS.new, tonumber(p.n), member)
    if n >= DIVERGENT_MIN then
      redis.call('ZADD', ORDERS.divergent, p.dv, member)
    else
      redis.call('ZREM', ORDERS.divergent, member)
    end
    if was_hidden then redis.call('HINCRBY', ROOM, 'visible', 1) end
  end
  p.st = st
end

-- ---------------------------------------------------------------- v2: one network cannot outvote the room
-- The mirror of NetworkRules, NetworkWeighting and the network parts of MemoryRoom. Sums of one
-- network on a post ("tallies") are integers, exact in Lua's doubles like the post's own sums.

-- Integers as digits: Lua's `..` writes numbers with 14 significant digits only.
local function digits(x)
  return string.format('%.0f', x)
end

local EMPTY = { s0 = 0, s1 = 0, s2 = 0, q = 0, n = 0 }

-- A network's sums on a post as stored: "n:s0:s1:s2:q".
local function parse_tally(raw)
  if not raw then return EMPTY end
  local n, s0, s1, s2, q = string.match(raw, '^(%d+):(%d+):(-?%d+):(%d+):(%d+)$')
  return { n = tonumber(n), s0 = tonumber(s0), s1 = tonumber(s1), s2 = tonumber(s2), q = tonumber(q) }
end

local function format_tally(t)
  return digits(t.n) .. ':' .. digits(t.s0) .. ':' .. digits(t.s1) .. ':' .. digits(t.s2) .. ':' .. digits(t.q)
end

-- Tally.plus(weight, value) / minus(weight, value): sign 1 adds the rating, -1 takes it away.
local function tally_rating(t, weight, value, sign)
  return { s0 = t.s0 + sign * weight, s1 = t.s1 + sign * weight * value, s2 = t.s2 + sign * weight * value * value,
    q = t.q + sign * weight * weight, n = t.n + sign }
end

-- Tally.minus(Tally)
local function tally_minus(a, b)
  return { s0 = a.s0 - b.s0, s1 = a.s1 - b.s1, s2 = a.s2 - b.s2, q = a.q - b.q, n = a.n - b.n }
end

-- Java's String.compareTo on ASCII: byte order. Lua's `<` on strings is strcoll, and Redis runs
-- with the system's collation locale, which may order "10.0.1.0/24" after "10.0.10.0/24".
local function byte_order(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- NetworkRules.special
local function special(t, decided)
  return NETWORKS_ENABLED and (decided or t.n >= HOLD_MIN or t.s0 > CAP_UNITS)
end

-- NetworkRules.venueExempt
local function venue_exempt(is_venue, ratings_on_post, ratings_in_room, posts_in_room)
  return is_venue and ratings_on_post * posts_in_room <= VENUE_FACTOR * ratings_in_room
end

-- The bytes of an IPv4 or IPv6 address as Network writes them (dotted quad; hex groups with at
-- most one "::"), or nil.
local function address_bytes(text)
  local quad = { string.match(text, '^(%d+)%.(%d+)%.(%d+)%.(%d+)$') }
  if #quad == 4 then
    local out = {}
    for i = 1, 4 do
      out[i] = tonumber(quad[i])
      if out[i] > 255 then return nil end
    end
    return out
  end
  if not string.find(text, ':', 1, true) then return nil end
  local function groups(part)
    local out = {}
    if part == '' then return out end
    for g in string.gmatch(part .. ':', '([^:]*):') do
      if not string.match(g, '^%x%x?%x?%x?$') then return nil end
      table.insert(out, tonumber(g, 16))
    end
    return out
  end
  local s, e = string.find(text, '::', 1, true)
  local head, tail
  if s then
    head, tail = groups(string.sub(text, 1, s - 1)), groups(string.sub(text, e + 1))
  else
    head, tail = groups(text), {}
  end
  if not head or not tail then return nil end
  local zeros = 8 - #head - #tail
  if (s and zeros < 1) or (not s and zeros ~= 0) then return nil end
  local words = {}
  for _, w in ipairs(head) do table.insert(words, w) end
  for _ = 1, zeros do table.insert(words, 0) end
  for _, w in ipairs(tail) do table.insert(words, w) end
  local out = {}
  for _, w in ipairs(words) do
    table.insert(out, math.floor(w / 256))
    table.insert(out, w % 256)
  end
  return out
end

-- Network.within: whether network `network` lies within `prefix` (both canonical CIDR).
local function within(network, prefix)
  local ns, ps = string.find(network, '/', 1, true), string.find(prefix, '/', 1, true)
  if not ns or not ps then return network == prefix end
  local n, p = address_bytes(string.sub(network, 1, ns - 1)), address_bytes(string.sub(prefix, 1, ps - 1))
  local n_bits, p_bits = tonumber(string.sub(network, ns + 1)), tonumber(string.sub(prefix, ps + 1))
  if not n or not p or not n_bits or not p_bits or #n ~= #p or p_bits > n_bits then return false end
  for i = 1, #n do
    local keep = math.max(0, math.min(8, p_bits - (i - 1) * 8))
    local unit = 2 ^ (8 - keep)
    if n[i] - n[i] % unit ~= p[i] then return false end
  end
  return true
end

-- NetworkReport.venue
local function venue(network, prefixes)
  for _, prefix in ipairs(prefixes) do
    if within(network, prefix) then return true end
  end
  return false
end

-- NetworkWeighting.weigh: `all` is the post's raw sums, `specials` its special networks in network
-- order (the order the sums are added in, as Java's TreeMap), each { g, t (tally), decision (1, 0
-- or nil), exempt }. Returns { ordinary, verdicts } with one verdict per special network, in order.
local function weigh(all, specials)
  if #specials == 0 then return { ordinary = all, verdicts = {} } end
  local cap = CAP_UNITS
  local ordinary = all
  local reference = all -- raw sums of the networks with fewer than HOLD_MIN ratings
  local c0, c1, c2, cn = 0, 0, 0, 0 -- capped sums of the special networks
  for _, s in ipairs(specials) do
    local t = s.t
    ordinary = tally_minus(ordinary, t)
    if t.n >= HOLD_MIN then reference = tally_minus(reference, t) end
    if t.s0 > 0 then
      local k = math.min(t.s0, cap) / t.s0
      c0 = c0 + math.min(t.s0, cap)
      c1 = c1 + k * t.s1
      c2 = c2 + k * t.s2
      cn = cn + t.n
    end
  end
  local small_enough = reference.s0 >= REFERENCE_MIN_WEIGHT * UNITS
  local verdicts = {}
  for _, s in ipairs(specials) do
    local t = s.t
    local effective = math.min(t.s0, cap)
    local mean = 0
    if t.s0 ~= 0 then mean = t.s1 / t.s0 end
    local r0, r1, r2, rn
    if small_enough then
      r0, r1, r2, rn = reference.s0, reference.s1, reference.s2, reference.n
    else -- every other network, capped: the ordinary ones are below the cap already
      local k = 0
      if t.s0 ~= 0 then k = effective / t.s0 end
      r0 = ordinary.s0 + c0 - effective
      r1 = ordinary.s1 + c1 - k * t.s1
      r2 = ordinary.s2 + c2 - k * t.s2
      rn = ordinary.n + cn - t.n
    end
    local tested, z = 1, 0
    local reference_mean = nil -- Java's NaN: no reference
    if r0 > 0 and rn > 0 then reference_mean = r1 / r0 end
    if t.n >= HOLD_MIN and not s.exempt and reference_mean then
      local delta = math.abs(mean - reference_mean)
      local vg = math.max(VARIANCE_FLOOR, t.s2 / t.s0 - mean * mean)
      local vr = math.max(VARIANCE_FLOOR, r2 / r0 - reference_mean * reference_mean)
      z = delta / math.sqrt(vg / t.n + vr / rn)
      if z > HOLD_Z then tested = clamp((HOLD_FULL_DELTA - delta) / HOLD_FADE_DELTA, 0, 1) end
    end
    local hold = tested
    if s.decision then hold = s.decision end
    table.insert(verdicts, { g = s.g, sums = t, hold = hold, tested = tested, z = z, mean = mean,
      reference_mean = reference_mean, effective = effective })
  end
  return { ordinary = ordinary, verdicts = verdicts }
end

-- Verdict.factor: f_g = h_g · E_g / S0_g
local function factor(v)
  if v.sums.s0 == 0 then return 0 end
  return v.hold * v.effective / v.sums.s0
end

-- Weighed.totals: T0, T1, T2, TQ, n of the post.
local function totals(weighed)
  local o = weighed.ordinary
  local t0, t1, t2, tq, n = o.s0, o.s1, o.s2, o.q, o.n
  for _, v in ipairs(weighed.verdicts) do
    local f = factor(v)
    t0 = t0 + v.hold * v.effective
    t1 = t1 + f * v.sums.s1
    t2 = t2 + f * v.sums.s2
    tq = tq + f * f * v.sums.q
    n = n + v.sums.n
  end
  return { t0 = t0, t1 = t1, t2 = t2, tq = tq, n = n }
end

-- MemoryRoom.count: moves the rating of `member` (from network `g`) on post `id` from `old` to `new`
-- (either may be nil) in the post's sums, its network's sums, the room's ratings per network, the
-- post's special networks and both rating indexes. The weight a rating was given with stays with
-- it. The post's totals and its author's karma follow in reweigh.
local function count(id, member, g, old, new)
  local key = post_key(id)
  local network = parse_tally(redis.call('HGET', networks_key(id), g))
  local d0, d1, d2, dq, dn = 0, 0, 0, 0, 0
  if old then
    d0 = d0 - old.weight; d1 = d1 - old.weight * old.value; d2 = d2 - old.weight * old.value * old.value
    dq = dq - old.weight * old.weight; dn = dn - 1
    network = tally_rating(network, old.weight, old.value, -1)
    redis.call('HINCRBY', NETWORK_RATINGS, g, -1)
  end
  if new then
    d0 = d0 + new.weight; d1 = d1 + new.weight * new.value; d2 = d2 + new.weight * new.value * new.value
    dq = dq + new.weight * new.weight; dn = dn + 1
    network = tally_rating(network, new.weight, new.value, 1)
    redis.call('HINCRBY', NETWORK_RATINGS, g, 1)
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
  if network.n == 0 then
    redis.call('HDEL', networks_key(id), g)
  else
    redis.call('HSET', networks_key(id), g, format_tally(network))
  end
  if special(network, redis.call('HEXISTS', decisions_key(id), g) == 1) then
    redis.call('SADD', special_key(id), g)
  else
    redis.call('SREM', special_key(id), g)
  end
end

-- MemoryRoom.reweigh: weighs the post's networks again (cap, hold test), moves its author's karma by
-- the change of its round(T1), keeps it among the watched posts while it has special networks, and
-- sets its score, divergence, status and orderings from the totals. O(special networks of the post).
local function reweigh(id)
  local key = post_key(id)
  local p = hash(key)
  local all = { s0 = tonumber(p.s0), s1 = tonumber(p.s1), s2 = tonumber(p.s2), q = tonumber(p.q), n = tonumber(p.cnt) }
  local names = redis.call('SMEMBERS', special_key(id))
  local specials = {}
  if #names > 0 then
    table.sort(names, byte_order)
    local sums = redis.call('HMGET', networks_key(id), unpack(names))
    local decisions = redis.call('HMGET', decisions_key(id), unpack(names))
    local in_room = redis.call('HMGET', NETWORK_RATINGS, unpack(names))
    local prefixes = redis.call('LRANGE', VENUE, 0, -1)
    local posts = tonumber(redis.call('HGET', ROOM, 'posts'))
    for i, g in ipairs(names) do
      local t = parse_tally(sums[i] or nil)
      local decision = nil
      if decisions[i] then decision = tonumber(decisions[i]) end
      local exempt = venue_exempt(venue(g, prefixes), t.n, tonumber(in_room[i] or '0'), posts)
      table.insert(specials, { g = g, t = t, decision = decision, exempt = exempt })
    end
  end
  local weighed = weigh(all, specials)
  local t = totals(weighed)
  local held, flagged = 0, 0
  for _, v in ipairs(weighed.verdicts) do
    if v.hold < 1 then held = held + 1 end
    if v.tested < 1 then flagged = flagged + 1 end
  end
  local share = round(t.t1)
  local moved = share - tonumber(p.ks or '0')
  if moved ~= 0 then redis.call('HINCRBY', member_key(p.a), 'k', moved) end
  local watched = '0'
  if #specials > 0 then
    watched = '1'
    if p.w ~= '1' then redis.call('ZADD', WATCHED, tonumber(p.n), id) end
  elseif p.w == '1' then
    redis.call('ZREM', WATCHED, id)
  end
  p.w = watched
  p.sc = exact(score(t.t0, t.t1, tonumber(p.pr)))
  p.dv = exact(divergence(t.t0, t.t1, t.t2, t.tq, t.n))
  redis.call('HSET', key, 'sc', p.sc, 'dv', p.dv, 'held', held, 'fl', flagged, 'ks', digits(share), 'w', p.w)
  recompute(id, p)
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

-- The room's hash, then its settings as "s.<name>" fields (JSON values): RedisRecords.room.
local function room_fields()
  local out = redis.call('HGETALL', ROOM)
  local settings = redis.call('HGETALL', SETTINGS)
  for i = 1, #settings, 2 do
    table.insert(out, 's.' .. settings[i])
    table.insert(out, settings[i + 1])
  end
  local venue = {}
  for _, prefix in ipairs(redis.call('LRANGE', VENUE, 0, -1)) do table.insert(venue, cjson.encode(prefix)) end
  table.insert(out, 's.venueNetworks')
  table.insert(out, '[' .. table.concat(venue, ',') .. ']')
  return out
end

-- ScoringRules.unverified: ratings of a participant who joined unverified, times the room's factor.
local function rating_weight(member)
  local w = weight_units(karma(tonumber(member.k)))
  if member.v then return w end
  local factor = tonumber(redis.call('HGET', SETTINGS, 'unverifiedWeight') or '1')
  if factor == 1 then return w end
  return math.floor(w * factor + 0.5)
end

local function active_member(id)
  local key = member_key(id)
  if redis.call('EXISTS', key) == 0 then return nil, fail('unauthorized', 'unknown participant') end
  local banned, k, net, v = unpack(redis.call('HMGET', key, 'banned', 'k', 'net', 'v'))
  if banned == '1' then return nil, fail('forbidden', 'you are banned from this room') end
  return { k = k, net = net, v = v }, nil
end

-- Ratings changed a venue network's share per post, or the number of posts did: the next sweep
-- re-tests the watched posts.
local function sweep_due()
  redis.call('HSET', ROOM, 'sweep', 1)
end

-- MemoryRoom.ban(List<Member>): bans members in one change. Every rating leaves first, then posts
-- are weighed and rendered, so each shows its author's karma after the whole ban. Returns the event JSON.
local function ban(pids)
  local ids, seen = {}, {}
  for _, pid in ipairs(pids) do
    local key = member_key(pid)
    redis.call('HSET', key, 'banned', 1)
    local g = redis.call('HGET', key, 'net')
    local rated = redis.call('HGETALL', rated_key(pid))
    for i = 1, #rated, 2 do
      local id = rated[i]
      if not seen[id] then
        seen[id] = true
        table.insert(ids, id)
      end
      count(id, pid, g, parse_rating(rated[i + 1]), nil)
    end
  end
  for _, id in ipairs(ids) do reweigh(id) end
  local touched = {}
  for _, id in ipairs(ids) do table.insert(touched, changed(id)) end
  if #ids > 0 then sweep_due() end
  local e = event(touched)
  e.banned = pids
  return publish(e)
end

-- MemoryRoom.retest: weighs posts again after a venue network's usual share moved; one event with
-- the posts whose numbers changed since their last event, or none (false).
local function retest(ids)
  local before = {}
  for i, id in ipairs(ids) do
    before[i] = render(id)
    before[i].author.karma = redis.call('HGET', post_key(id), 'ak') or before[i].author.karma
  end
  for _, id in ipairs(ids) do reweigh(id) end
  local touched = {}
  for i, id in ipairs(ids) do
    local after = changed(id)
    if not same_numbers(before[i], after) then table.insert(touched, after) end
  end
  if #touched == 0 then return false end
  return publish(event(touched))
end

-- MemoryRoom.evidence: what the store holds about one post's ratings, as JSON for PostEvidence.
-- Numbers that may exceed cjson's 14 digits travel as strings.
local function evidence(id)
  local ratings, involved = {}, {}
  local flat = redis.call('HGETALL', ratings_key(id))
  for i = 1, #flat, 2 do
    local pid, r = flat[i], parse_rating(flat[i + 1])
    local g, joined = unpack(redis.call('HMGET', member_key(pid), 'net', 'j'))
    table.insert(ratings, { participant = pid, network = g, value = r.value, weight = digits(r.weight),
      joinedAt = joined, ratedOthers = redis.call('HLEN', rated_key(pid)) > 1 })
    involved[g] = true
  end
  local decisions = {}
  local d = redis.call('HGETALL', decisions_key(id))
  for i = 1, #d, 2 do
    decisions[d[i]] = tonumber(d[i + 1])
    involved[d[i]] = true
  end
  local in_room = {}
  for g in pairs(involved) do in_room[g] = redis.call('HGET', NETWORK_RATINGS, g) or '0' end
  local room = redis.call('HMGET', ROOM, 'salt', 'posts')
  return cjson.encode({ post = render(id), prior = redis.call('HGET', post_key(id), 'pr'), salt = room[1] or '',
    ratings = ratings, decisions = decisions, venue = redis.call('LRANGE', VENUE, 0, -1), roomRatings = in_room,
    posts = room[2] })
end
