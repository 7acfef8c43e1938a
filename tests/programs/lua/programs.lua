-- Small benchmark programs with deterministic output (fannkuch, n-body, spectral norm,
-- binary trees, sieve, string building, a JSON-ish serializer, memoized fib).
local function fannkuch(n)
  local perm, perm1, count = {}, {}, {}
  local maxflips, checksum, r, permcount = 0, 0, n, 0
  for i = 0, n - 1 do perm1[i] = i end
  while true do
    while r ~= 1 do count[r - 1] = r; r = r - 1 end
    for i = 0, n - 1 do perm[i] = perm1[i] end
    local flips = 0
    local k = perm[0]
    while k ~= 0 do
      local i, j = 0, k
      while i < j do perm[i], perm[j] = perm[j], perm[i]; i = i + 1; j = j - 1 end
      flips = flips + 1
      k = perm[0]
    end
    if flips > maxflips then maxflips = flips end
    checksum = checksum + (permcount % 2 == 0 and flips or -flips)
    while true do
      if r == n then return checksum, maxflips end
      local p0 = perm1[0]
      for i = 0, r - 1 do perm1[i] = perm1[i + 1] end
      perm1[r] = p0
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      r = r + 1
    end
    permcount = permcount + 1
  end
end
print("fannkuch(8)", fannkuch(8))

local function nbody(steps)
  local PI, SM = math.pi, 4 * math.pi * math.pi
  local DPY = 365.24
  local bodies = {
    { x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0, m = SM },
    { x = 4.84143144246472090e+00, y = -1.16032004402742839e+00, z = -1.03622044471123109e-01, vx = 1.66007664274403694e-03 * DPY, vy = 7.69901118419740425e-03 * DPY, vz = -6.90460016972063023e-05 * DPY, m = 9.54791938424326609e-04 * SM },
    { x = 8.34336671824457987e+00, y = 4.12479856412430479e+00, z = -4.03523417114321381e-01, vx = -2.76742510726862411e-03 * DPY, vy = 4.99852801234917238e-03 * DPY, vz = 2.30417297573763929e-05 * DPY, m = 2.85885980666130812e-04 * SM },
    { x = 1.28943695621391310e+01, y = -1.51111514016986312e+01, z = -2.23307578892655734e-01, vx = 2.96460137564761618e-03 * DPY, vy = 2.37847173959480950e-03 * DPY, vz = -2.96589568540237556e-05 * DPY, m = 4.36624404335156298e-05 * SM },
    { x = 1.53796971148509165e+01, y = -2.59193146099879641e+01, z = 1.79258772950371181e-01, vx = 2.68067772490389322e-03 * DPY, vy = 1.62824170038242295e-03 * DPY, vz = -9.51592254519715870e-05 * DPY, m = 5.15138902046611451e-05 * SM },
  }
  local function energy()
    local e = 0
    for i = 1, #bodies do
      local b = bodies[i]
      e = e + 0.5 * b.m * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
      for j = i + 1, #bodies do
        local b2 = bodies[j]
        local dx, dy, dz = b.x - b2.x, b.y - b2.y, b.z - b2.z
        e = e - b.m * b2.m / math.sqrt(dx * dx + dy * dy + dz * dz)
      end
    end
    return e
  end
  local px, py, pz = 0, 0, 0
  for _, b in ipairs(bodies) do px = px + b.vx * b.m; py = py + b.vy * b.m; pz = pz + b.vz * b.m end
  bodies[1].vx, bodies[1].vy, bodies[1].vz = -px / SM, -py / SM, -pz / SM
  local e0 = energy()
  for _ = 1, steps do
    for i = 1, #bodies do
      local b = bodies[i]
      for j = i + 1, #bodies do
        local b2 = bodies[j]
        local dx, dy, dz = b.x - b2.x, b.y - b2.y, b.z - b2.z
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = 0.01 / (d2 * math.sqrt(d2))
        b.vx = b.vx - dx * b2.m * mag; b.vy = b.vy - dy * b2.m * mag; b.vz = b.vz - dz * b2.m * mag
        b2.vx = b2.vx + dx * b.m * mag; b2.vy = b2.vy + dy * b.m * mag; b2.vz = b2.vz + dz * b.m * mag
      end
    end
    for _, b in ipairs(bodies) do b.x = b.x + 0.01 * b.vx; b.y = b.y + 0.01 * b.vy; b.z = b.z + 0.01 * b.vz end
  end
  return e0, energy()
end
print(string.format("nbody %.9f %.9f", nbody(20000)))

local function spectral(n)
  local function A(i, j) local ij = i + j - 1; return 1.0 / (ij * (ij - 1) * 0.5 + i) end
  local function Av(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(i, j) end y[i] = a end end
  local function Atv(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(j, i) end y[i] = a end end
  local function AtAv(x, y, t, N) Av(x, t, N); Atv(t, y, N) end
  local u, v, t = {}, {}, {}
  for i = 1, n do u[i] = 1 end
  for _ = 1, 10 do AtAv(u, v, t, n); AtAv(v, u, t, n) end
  local vBv, vv = 0, 0
  for i = 1, n do local ui, vi = u[i], v[i]; vBv = vBv + ui * vi; vv = vv + vi * vi end
  return math.sqrt(vBv / vv)
end
print(string.format("spectralnorm %.9f", spectral(100)))

local function bottomup(d) if d == 0 then return {} end d = d - 1; return { bottomup(d), bottomup(d) } end
local function check(t) if t[1] then return 1 + check(t[1]) + check(t[2]) end return 1 end
local maxd = 12
print("binarytrees stretch", check(bottomup(maxd + 1)))
local long = bottomup(maxd)
for d = 4, maxd, 2 do
  local iters, c = 2 ^ (maxd - d + 4), 0
  for _ = 1, iters do c = c + check(bottomup(d)) end
  print(string.format("%d trees of depth %d check: %d", iters, d, c))
end
print("long lived", check(long))

local function sieve(n)
  local comp, count, last = {}, 0, 0
  for i = 2, n do if not comp[i] then count = count + 1; last = i; for j = i * i, n, i do comp[j] = true end end end
  return count, last
end
print("sieve", sieve(1000000))

local buf = {}
for i = 1, 100000 do buf[#buf + 1] = string.format("%05d", i * 7 % 100000) end
local s = table.concat(buf)
print("strings", #s, s:sub(1, 20), select(2, s:gsub("777", "")))

local function ser(v, ind)
  ind = ind or ""
  if type(v) ~= "table" then return type(v) == "string" and string.format("%q", v) or tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = ind .. "  " .. tostring(k) .. ": " .. ser(v[k], ind .. "  ") end
  return "{\n" .. table.concat(out, ",\n") .. "\n" .. ind .. "}"
end
print(ser({ name = "lind", list = { 1, 2.5, "x" }, nested = { deep = { yes = true } } }))

local memo = {}
local function fib(n) if n < 2 then return n end if memo[n] then return memo[n] end local r = fib(n - 1) + fib(n - 2); memo[n] = r; return r end
local function slowfib(n) if n < 2 then return n end return slowfib(n - 1) + slowfib(n - 2) end
print("fib", fib(90), slowfib(27))
