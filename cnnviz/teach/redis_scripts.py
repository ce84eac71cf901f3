"""The Lua scripts of :class:`cnnviz.teach.redis_store.RedisStore`: every write to a class is one
script, which Redis runs alone from start to end, so a check and its write never interleave with
another server's.

Each script's comment names its KEYS and ARGV; a script answers ``{'ERR', key}`` (a catalog key
``class.error.*``) when the class refuses the write.

Lesson: the live class (/class), on several app servers (deploy/README.md).
"""

from __future__ import annotations

__all__ = ["ASK", "CREATE", "FORGET", "JOIN", "REPORT", "REVEAL", "SUBMIT", "UPDATE"]

# Shared Lua: is the class live by the caller's clock, refresh its TTLs, bump its version.
_LIB = """
local function live(ck, now, idle)
  local la = redis.call('HGET', ck, 'last_active')
  return la and tonumber(la) >= now - idle
end
local function teacher(ck, secret, now, idle)
  if not live(ck, now, idle) then return 'class.error.unknown_code' end
  -- Lua interns strings: == compares pointers, not bytes one by one (no early-exit timing)
  if redis.call('HGET', ck, 'secret') ~= secret then return 'class.error.not_teacher' end
  return nil
end
local function refresh(ck, ttl)
  redis.call('PEXPIRE', ck, ttl)
  for _, part in ipairs({':students', ':questions', ':revealed'}) do
    redis.call('PEXPIRE', ck .. part, ttl)
  end
  local n = tonumber(redis.call('HGET', ck, 'qseq') or '0')
  for q = 1, n do redis.call('PEXPIRE', ck .. ':answers:' .. q, ttl) end
end
local function follow_ttl(ck, key)
  local ttl = redis.call('PTTL', ck)
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
local function touch(zkey, ck, code, nowtext, ttl)
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('HSET', ck, 'last_active', nowtext)
  redis.call('ZADD', zkey, nowtext, code)
  refresh(ck, ttl)
end
"""

# KEYS: classes, class. ARGV: code, secret, lesson, step, now, max_classes, ttl
CREATE = """
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_classes'}
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'ERR', 'collision'} end
redis.call('HSET', KEYS[2], 'secret', ARGV[2], 'lesson', ARGV[3], 'step', ARGV[4],
  'mode', 'follow', 'version', 1, 'question_id', '', 'created', ARGV[5],
  'last_active', ARGV[5], 'qseq', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
return {'OK'}
"""

# KEYS: classes, class. ARGV: code, secret, now, idle, ttl, field, value[, field, value]
UPDATE = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK', redis.call('HGETALL', KEYS[2])}
"""
)

# KEYS: class, students. ARGV: now, idle, student_id, nickname, max_students
JOIN = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
local old = redis.call('HGET', KEYS[2], ARGV[3])
local record
if old then
  record = cjson.decode(old)
  record[1] = ARGV[4]
  record[5] = ARGV[1]
else
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return {'ERR', 'class.error.full'} end
  record = {ARGV[4], redis.call('HGET', KEYS[1], 'lesson'), redis.call('HGET', KEYS[1], 'step'),
            ARGV[1], ARGV[1]}
end
local text = cjson.encode(record)
redis.call('HSET', KEYS[2], ARGV[3], text)
follow_ttl(KEYS[1], KEYS[2])
return {'OK', text}
"""
)

# KEYS: class, students. ARGV: now, idle, student_id, lesson, step
REPORT = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
local old = redis.call('HGET', KEYS[2], ARGV[3])
if not old then return {'ERR', 'class.error.not_joined'} end
local record = cjson.decode(old)
record[2] = ARGV[4]
record[3] = ARGV[5]
record[5] = ARGV[1]
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(record))
return {'OK'}
"""
)

# KEYS: classes, class, questions. ARGV: code, secret, now, idle, ttl, max_questions, record
ASK = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
if redis.call('HLEN', KEYS[3]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_questions'}
end
local id = redis.call('HINCRBY', KEYS[2], 'qseq', 1)
redis.call('HSET', KEYS[3], id, ARGV[7])
redis.call('HSET', KEYS[2], 'question_id', id)
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK', id}
"""
)

# KEYS: class, students, questions, revealed, answers. ARGV: now, idle, student, question_id,
# record, max_answers
SUBMIT = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then return {'ERR', 'class.error.not_joined'} end
if redis.call('HEXISTS', KEYS[3], ARGV[4]) == 0 then return {'ERR', 'class.error.no_question'} end
if redis.call('SISMEMBER', KEYS[4], ARGV[4]) == 1 then return {'ERR', 'class.error.revealed'} end
if redis.call('HLEN', KEYS[5]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_answers'}
end
if redis.call('HSETNX', KEYS[5], ARGV[3], ARGV[5]) == 0 then
  return {'ERR', 'class.error.answered'}
end
follow_ttl(KEYS[1], KEYS[5])
return {'OK'}
"""
)

# KEYS: classes, class, questions, revealed. ARGV: code, secret, now, idle, ttl, question_id
REVEAL = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
if redis.call('HEXISTS', KEYS[3], ARGV[6]) == 0 then return {'ERR', 'class.error.no_question'} end
redis.call('SADD', KEYS[4], ARGV[6])
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK'}
"""
)

# KEYS: classes, class. ARGV: code, cutoff. Forgets the class if it is still idle (or gone).
FORGET = """
local la = redis.call('HGET', KEYS[2], 'last_active')
if la and tonumber(la) >= tonumber(ARGV[2]) then return 0 end
local n = tonumber(redis.call('HGET', KEYS[2], 'qseq') or '0')
for q = 1, n do redis.call('DEL', KEYS[2] .. ':answers:' .. q) end
redis.call('DEL', KEYS[2], KEYS[2] .. ':students', KEYS[2] .. ':questions', KEYS[2] .. ':revealed')
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""
