-- Numbers: integers and floats, conversions, bitwise operators, math.
print(1 + 2, 7 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2, 2^10, 10 / 4)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
print(0x7fffffffffffffff, 0xff, 1e15, 1e16, 2^53, 2^63, -0.0, 1/0, -1/0)
print(math.tointeger(3.0), math.tointeger(3.5), math.type(1), math.type(1.0), math.type("1"))
print(3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1)
print("10" + 5, "3.5" * 2, 10 .. 20, tonumber("0x10"), tonumber("  12  "), tonumber("1e2"))
print(tonumber("z", 36), tonumber("777", 8), tonumber("11", 2), tonumber("abc"), tonumber(""))
print(string.format("%.10g %.10g %.10g %.10g", math.sin(1), math.cos(2), math.exp(1), math.log(10)))
print(string.format("%.10g %.10g %.10g", math.sqrt(2), math.atan(1, 2), math.log(8, 2)))
print(math.floor(-3.5), math.ceil(-3.5), math.abs(math.mininteger), math.fmod(7, -3), math.fmod(-7, 3))
print(math.max(3, 9, -1), math.min(3.5, 2), math.ult(1, -1), math.huge, -math.huge)
print(string.format("%d %5d %-5d| %05d %x %X %o %e %.3f %g %g", 42, 42, 42, 42, 255, 255, 8, 12345.678, 2/3, 1e20, 0.1))
print(string.format("%a %a", 1.0, 0.5))
print(1e300 * 1e10, -1e300 * 1e10, math.huge - math.huge ~= math.huge - math.huge)
print(8 // 0.0, -8 // 0.0, 0/0 ~= 0/0, pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
for i = 1, 3 do io.write(i, " ") end
for i = 10, 1, -3 do io.write(i, " ") end
for x = 0, 1, 0.25 do io.write(x, " ") end
print()
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end
print()
local t = 0
for i = 1, 1000000 do t = t + i * i % 7 end
print(t)
print(string.format("%.14g", 0.1 + 0.2), 0.1 + 0.2 == 0.3, 100000000000000, 2^63 == math.maxinteger + 1.0)
print(math.floor(2^31 + 0.5), math.floor(-2^31 - 0.5), 7 // 0.5, 3 % math.huge, -3 % math.huge)
