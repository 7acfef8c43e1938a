-- CPU-bound Lua for benches/lua_bench.c: recursion, string building and matching,
-- table sorts, floating-point loops. Deterministic (its own LCG, not math.random,
-- which Lua 5.4 seeds randomly); raises no error and uses no coroutine (the WASI
-- build has no longjmp, see run.py). Returns "lua_bench ok <fib>" when every
-- check below holds.

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local seed = 12345
local function lcg()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed
end

-- 1. function calls
local f = fib(32)

-- 2. strings: format, concat, gsub, find, upper, rep, byte
local parts = {}
for i = 1, 120000 do
  parts[#parts + 1] = string.format("%d:%x:%s", i, i * 7, ("ab"):rep(i % 5))
end
local s = table.concat(parts, ",")
local _, commas = s:gsub(",", ",")
local words = 0
for _ in s:gmatch("[^,]+") do words = words + 1 end
local up = s:sub(1, 100000):upper()
local sum = 0
for i = 1, #up, 7 do sum = sum + up:byte(i) end
local found = 0
local pos = 1
while true do
  local a = s:find("abab", pos, true)
  if not a then break end
  found = found + 1
  pos = a + 1
end

-- 3. tables: fill, sort (default and with a comparator), hash access
local t = {}
for i = 1, 200000 do t[i] = lcg() % 1000000 end
table.sort(t)
local sorted = true
for i = 2, #t do if t[i - 1] > t[i] then sorted = false end end
local r = {}
for i = 1, 100000 do r[i] = { k = lcg() % 1000, v = i } end
table.sort(r, function(a, b) if a.k ~= b.k then return a.k > b.k end return a.v < b.v end)
local h = {}
for i = 1, 200000 do
  local k = "k" .. (lcg() % 5000)
  h[k] = (h[k] or 0) + 1
end
local keys = 0
for _ in pairs(h) do keys = keys + 1 end

-- 4. floating point: a small n-body-like loop
local x, y, vx, vy = 1.0, 0.0, 0.0, 1.0
for _ = 1, 1000000 do
  local d = math.sqrt(x * x + y * y)
  local a = 1.0 / (d * d * d)
  vx = vx - x * a * 0.001
  vy = vy - y * a * 0.001
  x = x + vx * 0.001
  y = y + vy * 0.001
end

local ok = f == 2178309 and commas == 119999 and words == 120000 and sum > 0 and found > 0
  and sorted and r[1].k == 999 and keys == 5000 and x == x
if not ok then
  return string.format("lua_bench BAD fib=%d commas=%d words=%d found=%d sorted=%s keys=%d",
    f, commas, words, found, tostring(sorted), keys)
end
return "lua_bench ok " .. f
