-- The string library: patterns, gsub, format, pack/unpack, utf8.
local s = "The quick brown fox jumps over the lazy dog"
print(#s, s:upper(), s:lower():rep(2, "|"))
print(s:find("quick"), s:find("o", 20), s:find("%s(%a+)%s"), s:find(".", 1, true))
print(s:match("(%a+) fox"), s:match("()ump()"), s:sub(5, 9), s:sub(-3), s:sub(0), s:sub(10, 5))
for w in s:gmatch("%a+") do io.write(w:sub(1, 1)) end
print()
print(s:gsub("o", "0"), s:gsub("%w+", "<%0>", 3))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("abc"):gsub("", "-"), ("hello"):gsub("l+", function(x) return #x end))
print(("$name is $age"):gsub("%$(%w+)", { name = "lua", age = 30 }))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|", ("key = value"):match("^(%w+)%s*=%s*(%w+)$"))
print(("[[nested]]"):find("%[%[(.-)%]%]"), ("f(a(b)c)"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))
print(string.byte("ABC", 1, -1), string.char(72, 105), ("x"):rep(0), ("ab"):reverse())
print(string.format("%q", "line\nnew \"quoted\" \0 \200"), string.format("%q", 1/3), string.format("%q", math.mininteger))
print(string.format("[%10s][%-10s][%.2s]", "hi", "hi", "hello"), string.format("%c%c", 76, 117))
print(string.format("%s %s %s", nil, true, 12.0), tostring(1e100), tostring(-0.0), 2^24)
local packed = string.pack("<i4 >i8 d z s1 B h", -2, 1234567890123, 3.25, "zero", "len", 255, -300)
print(#packed, string.unpack("<i4 >i8 d z s1 B h", packed))
print(string.packsize("i4 i8 d"), string.pack(">I2", 258):byte(1, -1))
print(utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), utf8.codepoint("häll€", 1, -1))
for p, c in utf8.codes("aé€") do io.write(p, ":", c, " ") end
print(utf8.offset("aé€x", 3), utf8.len("\xff"), utf8.charpattern)
local parts = {}
for k, v in ("a=1, b=22, c=333"):gmatch("(%w+)=(%w+)") do parts[#parts + 1] = k .. v end
print(table.concat(parts, ";"))
print(("%d"):format(3.0), pcall(string.format, "%d", 3.5))
print(("x"):rep(3, ","), ("abc"):len(), #"\u{10FFFF}", "\65\066\x43\z
       D")
print(string.format("%-5.1f|%+d|% d|%#x|%#o", 3.14159, 5, 5, 255, 8))
print(tostring(12345678901234567890), 9007199254740993, string.format("%.0f", 2^63))
