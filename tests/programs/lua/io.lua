-- Files through the io library: modes, read formats, lines, seek, buffering, errors.
local f = assert(io.open("data.txt", "w"))
f:write("line one\n", "line two\n", 42, " ", 3.5, "\n", "0x1F 1e3 -7 nan\n", "last line no newline")
f:close()
f = assert(io.open("data.txt", "r"))
print(f:read("l")); print(f:read("L")); print(f:read("n", "n")); print(f:read("n", "n", "n"))
print(f:read("n"), f:read("l"), f:read("a"), f:read("a"), f:read("l"), f:read(0))
print(f:seek("set", 5), f:read(3), f:seek("cur"), f:seek("end"), f:read(1))
f:close()
print(pcall(f.read, f), io.type(f), io.type(io.stdout), io.type(42))
local n = 0
for l in io.lines("data.txt") do n = n + #l end
print("chars", n)
for a, b in io.lines("data.txt", 4, "l") do print(a, b) break end
local g = assert(io.open("bin.dat", "wb"))
for i = 0, 255 do g:write(string.char(i)) end
g:write(string.rep("xyz", 100000))
g:close()
g = assert(io.open("bin.dat", "rb"))
local all = g:read("a"); print(#all, all:byte(1), all:byte(256), all:sub(-3))
print(g:seek("set", 250), g:read(8):byte(1, -1))
g:close()
-- append and update modes
local h = assert(io.open("data.txt", "a")); h:write("\nappended"); h:close()
h = assert(io.open("data.txt", "r+")); h:write("LINE"); h:seek("set"); print(h:read("l")); h:close()
for l in io.lines("data.txt") do io.write("[", l, "]") end
print()
-- errors
print(io.open("no/such/file"))
print(io.open("data.txt", "rz"))
print(pcall(io.lines, "missing.txt"))
print(os.remove("missing.txt"))
print(os.rename("data.txt", "renamed.txt"), io.open("data.txt"), io.open("renamed.txt") ~= nil)
print(os.remove("renamed.txt"), os.remove("bin.dat"))
-- io.output/io.input redirection
io.output("out.txt"); io.write("via io.write\n"); io.output():close(); io.output(io.stdout)
io.input("out.txt"); print(io.read("L")); io.input():close(); io.input(io.stdin)
local tf = io.tmpfile(); tf:write("temp data"); tf:seek("set"); print(tf:read("a")); tf:close()
local name = os.tmpname(); print(type(name), #name > 0); os.remove(name)
-- setvbuf and flush
io.stdout:setvbuf("no"); io.write("unbuffered "); io.stdout:setvbuf("full", 1024); io.write("full\n"); io.stdout:flush()
io.stdout:setvbuf("line")
local big = assert(io.open("big.txt", "w"))
for i = 1, 50000 do big:write(i, "\n") end
big:close()
local s, c = 0, 0
for num in io.lines("big.txt", "n") do s = s + num; c = c + 1 end
print(c, s)
os.remove("big.txt"); os.remove("out.txt")
io.stderr:write("")
