-- Chunks: load with environments, string.dump and reloading binary chunks, require of a
-- module file, package paths, luac output run by lua.
local f = load("return 1 + ...")
print(f(41))
local env = { print = print, x = 5 }
print(load("x = x * 2; return x", "chunk", "t", env)(), env.x)
local parts = { "return ", "'from", " pieces'" }
local i = 0
print(load(function() i = i + 1; return parts[i] end)())
local function adder(a) return function(b) return a + b end end
local dumped = string.dump(function(a, b) local t = {}; for k = a, b do t[#t + 1] = k * k end; return table.concat(t, " ") end)
print(#dumped > 0, load(dumped, "bin", "b")(1, 5))
print(load(dumped, "bin", "t"))
print(pcall(load("return ...", "x", "t", {}), 1, 2))
local mf = assert(io.open("mymod.lua", "w"))
mf:write("local M = {}\nfunction M.greet(n) return 'hello ' .. n end\nM.loaded_as = ...\nreturn M\n")
mf:close()
package.path = "./?.lua"
local m = require("mymod")
print(m.greet("lind"), m.loaded_as, package.loaded.mymod == m, require("mymod") == m)
print(pcall(require, "no_such_module") == false)
print(package.config:sub(1, 1), type(package.searchers), #package.searchers, package.cpath ~= nil)
local cf = assert(io.open("chunk.lua", "w"))
cf:write("local s = 0\nfor i = 1, 100 do s = s + i end\nprint('chunk says', s, ...)\n")
cf:close()
dofile("chunk.lua")
print(loadfile("chunk.lua") ~= nil, loadfile("missing.lua"))
print(os.execute("luac -o chunk.out chunk.lua && lua chunk.out a b"))
local bf = assert(io.open("chunk.out", "rb"))
local bytes = bf:read("a")
bf:close()
print(#bytes, bytes:sub(2, 4), load(bytes, "luac", "b") ~= nil)
print(os.execute("luac -p chunk.lua && echo parsed"))
print(os.execute("luac -p bad_syntax_does_not_exist.lua 2>/dev/null"))
os.remove("mymod.lua"); os.remove("chunk.lua"); os.remove("chunk.out")
