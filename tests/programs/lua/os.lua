-- os: dates in UTC, time arithmetic, environment, exit codes of commands, popen
-- (fork + exec of /bin/sh and pipes).
print(os.time({ year = 2000, month = 1, day = 1, hour = 12 }) - os.time({ year = 1999, month = 12, day = 31, hour = 12 }))
print(os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%c", 1234567890), os.date("!%j %a %b %p %y", 1e9))
local t = os.date("!*t", 86400 * 365)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
print(os.date("!%H:%M", 3600 * 5 + 60 * 7), type(os.time()), type(os.clock()), os.difftime(10, 4))
print(pcall(os.date, "%Ez"), os.time({ year = 2024, month = 2, day = 30, hour = 0 }) == os.time({ year = 2024, month = 3, day = 1, hour = 0 }))
print(os.getenv("SRC") ~= nil, os.getenv("NO_SUCH_VARIABLE"))
print(os.execute())
print(os.execute("exit 3"))
print(os.execute("true"))
print(os.execute("kill -9 $$") )
local p = assert(io.popen("echo hello from sh; seq 1 5 | sort -rn", "r"))
for l in p:lines() do io.write(l, ";") end
print(p:close())
local w = assert(io.popen("wc -l", "w"))
for i = 1, 100 do w:write("line ", i, "\n") end
print(w:close())
print(io.popen("exit 5"):close())
print(select("#", io.popen("echo x")), io.popen("cat data-missing 2>/dev/null"):read("a"))
local cnt = 0
for i = 1, 20 do local q = io.popen("echo " .. i); cnt = cnt + tonumber(q:read("l")); q:close() end
print("popen sum", cnt)
print(pcall(os.exit, "bad"))
io.stdout:flush()
os.exit(7)
