-- Garbage collection: weak tables, finalizers, generational and incremental modes,
-- a lot of allocation (the heap grows through brk/mmap).
local weak = setmetatable({}, { __mode = "k" })
local keep = {}
for i = 1, 100 do local k = {}; weak[k] = i; if i % 10 == 0 then keep[#keep + 1] = k end end
collectgarbage(); collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("weak keys left", n)
local wv = setmetatable({}, { __mode = "v" })
wv[1] = {}; wv[2] = keep[1]; wv[3] = "strings stay"
collectgarbage()
print(wv[1], wv[2] == keep[1], wv[3])
local order = {}
for i = 1, 5 do setmetatable({}, { __gc = function() order[#order + 1] = i end }) end
collectgarbage(); collectgarbage()
table.sort(order); print("finalized", table.concat(order, ","))
local resurrect
do setmetatable({ name = "zombie" }, { __gc = function(o) resurrect = o end }) end
collectgarbage(); print(resurrect and resurrect.name)
print(collectgarbage("isrunning"), collectgarbage("step", 0) ~= nil, collectgarbage("incremental"))
print(collectgarbage("generational"), collectgarbage("incremental"))
-- allocation churn: many strings and tables, then release
local t = {}
for i = 1, 200000 do t[i] = { i, tostring(i), i * 1.5 } end
local s = 0
for i = 1, #t, 1000 do s = s + t[i][1] + #t[i][2] end
print("churn", s)
t = nil
collectgarbage()
local parts = {}
for i = 1, 20000 do parts[i] = string.rep(string.char(65 + i % 26), i % 50) end
local joined = table.concat(parts)
print(#joined, joined:sub(1000, 1010))
local big = string.rep("a", 50 * 1024 * 1024)
print(#big, #(big .. "b"))
big = nil
collectgarbage()
print(collectgarbage("count") > 0)
