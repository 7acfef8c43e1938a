-- Closures, varargs, coroutines, goto, to-be-closed variables.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(), c1())
local function va(...) return select("#", ...), ... end
print(va(), va(nil), va(1, nil, nil), (va(1, 2, 3)))
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end return "done" end)
end
local g = gen(3)
print(g(), g(), g(), g())
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "end", d + e
end)
print(coroutine.resume(co, 1, 2)); print(coroutine.status(co))
print(coroutine.resume(co, 10)); print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.resume(co))
print(coroutine.isyieldable(), select(2, coroutine.running()))
-- yield across pcall, errors inside coroutines
local co2 = coroutine.create(function()
  local ok, err = pcall(function() coroutine.yield("in pcall"); error("boom") end)
  coroutine.yield(ok, err)
  error({ code = 7 })
end)
print(coroutine.resume(co2)); print(coroutine.resume(co2))
local ok, e = coroutine.resume(co2); print(ok, type(e), e.code, coroutine.status(co2))
-- producer/consumer
local function producer() return coroutine.create(function() for _, w in ipairs({ "a", "b", "c" }) do coroutine.yield(w) end end) end
local function filter(p) return coroutine.create(function()
  while true do local _, v = coroutine.resume(p); if not v then return end coroutine.yield(v:upper()) end
end) end
local f = filter(producer()); local out = {}
while true do local _, v = coroutine.resume(f); if not v then break end out[#out + 1] = v end
print(table.concat(out))
-- permutations generator
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do a[n], a[i] = a[i], a[n]; permgen(a, n - 1); a[n], a[i] = a[i], a[n] end
  end
end
local count = 0
for p in coroutine.wrap(function() permgen({ 1, 2, 3, 4, 5 }) end) do count = count + 1; if count == 60 then print(table.concat(p)) end end
print(count)
-- goto
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
-- to-be-closed
do
  local order = {}
  do
    local a <close> = setmetatable({}, { __close = function() order[#order + 1] = "a" end })
    local b <close> = setmetatable({}, { __close = function(_, err) order[#order + 1] = "b" .. tostring(err) end })
    local c <const> = 5
    order[#order + 1] = "body" .. c
  end
  print(table.concat(order, " "))
  local okc, errc = pcall(function()
    local x <close> = setmetatable({}, { __close = function(_, err) order[#order + 1] = "x:" .. tostring(err):match("boom%d") end })
    error("boom1")
  end)
  print(okc, errc:match("boom%d"), order[#order])
end
local co3 = coroutine.create(function() local x <close> = setmetatable({}, { __close = function() print("closed by coroutine.close") end }); coroutine.yield() end)
coroutine.resume(co3); print(coroutine.close(co3), coroutine.status(co3))
-- deep recursion
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(10000), pcall(function() local function inf(n) return inf(n + 1) + 1 end return inf(1) end) == false)
local function tail(n) if n == 0 then return "tail ok" end return tail(n - 1) end
print(tail(1000000))
