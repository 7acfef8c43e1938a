-- Tables, sorting, metatables, inheritance (printed in a fixed order: pairs' order
-- over string keys depends on a random hash seed).
local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  return table.concat(ks, ",")
end
local t = { 10, 20, 30, x = 1, y = 2, [3.0] = "three" }
print(#t, t[3], sorted_keys(t))
table.insert(t, 40); table.insert(t, 1, 5); print(table.concat(t, " "))
print(table.remove(t), table.remove(t, 1), table.concat(t, " "), #t)
print(table.unpack({ 1, 2, 3 }), select("#", table.unpack({ 1, nil, 3 }, 1, 3)), select(-1, "a", "b"))
print(table.concat(table.move({ 1, 2, 3, 4, 5 }, 2, 4, 1), ","), table.pack(1, nil, 3).n)
local words = {}
for w in ("pear apple fig banana cherry date elderberry grape kiwi lemon mango"):gmatch("%a+") do
  words[#words + 1] = w
end
table.sort(words); print(table.concat(words, " "))
table.sort(words, function(a, b) return #a < #b or (#a == #b and a < b) end); print(table.concat(words, " "))
local nums = {}
local seed = 42
for i = 1, 2000 do seed = (seed * 1103515245 + 12345) % 2147483648; nums[i] = seed % 1000 end
table.sort(nums)
local ok = true
for i = 2, #nums do if nums[i - 1] > nums[i] then ok = false end end
print(ok, nums[1], nums[1000], nums[2000])
-- metatables
local V = {}
V.__index = V
function V.new(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return V.new(a.x + b.x, a.y + b.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a:len2() < b:len2() end
V.__le = function(a, b) return a:len2() <= b:len2() end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
V.__len = function(v) return 2 end
V.__call = function(v, k) return v[k] end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
V.__unm = function(a) return V.new(-a.x, -a.y) end
function V:len2() return self.x * self.x + self.y * self.y end
local a, b = V.new(1, 2), V.new(3, 4)
print(tostring(a + b), a == V.new(1, 2), a < b, a <= b, #a, a("y"), a .. b, tostring(-a))
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k .. "!" end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. k; rawset(t, k, v) end,
})
local _ = proxy.foo; proxy.bar = 1; _ = proxy.bar
print(table.concat(log, "; "), rawget(proxy, "foo"), rawlen({ 1, 2 }), rawequal(a, a))
-- inheritance
local Animal = {}; Animal.__index = Animal
function Animal.new(name) return setmetatable({ name = name }, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, { __index = Animal }); Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("rex"):speak(), getmetatable(Dog.new("a")) == Dog)
-- big table, integer and float keys, holes
local big = {}
for i = 1, 100000 do big[i] = i * 2 end
local sum = 0
for _, v in ipairs(big) do sum = sum + v end
print(#big, sum, big[2^10], big[1.5])
local m = {}
for i = 1, 1000 do m["k" .. i] = i end
local n, s = 0, 0
for k, v in pairs(m) do n = n + 1; s = s + v end
print(n, s, next({}), type(next))
print(sorted_keys(setmetatable({}, { __pairs = function(t) return function(_, k) if not k then return 1, 1 end end, t, nil end })))
