-- A tour of what a script needs from its runtime: floats and string
-- formatting, time in UTC, errors, files and modules. Run it with the
-- native lua5.4 too: the output is the same.
local here = arg and arg[0] and arg[0]:match("(.*/)") or "./"
package.path = here .. "?.lua;" .. package.path

local greet = require("greet")
io.write(greet.hello("mote"), "\n")

-- floats and string.format
print(1.5, 0.1 + 0.2, 1e300 * 1e10, -0.0, 2^53, 7 // 2, 7 / 2)
print(string.format("%g %.3f %e %a %5.1f|%-8.2e|", 1e-5, math.pi, 12345.678,
                    1.0, 2.25, 6.02e23))
print(math.floor(-3.5), math.ceil(-3.5), math.sqrt(2), math.huge, -math.huge)
print(string.format("%.14g", math.sin(1) + math.exp(1) + math.log(10)))
print(tostring(3) == "3", math.type(3), math.type(3.0), 3 == 3.0)
print(tonumber("0x1p4"), tonumber("  12  "), tonumber("1e2"), tonumber("z"))

-- time, in UTC
print(os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%c", 86400 * 365))
print(os.time({year = 2000, month = 1, day = 1, hour = 12}) ~= nil)
local t = os.time()
print(type(t), t > 1600000000, os.difftime(t + 60, t))
local d = os.date("!*t", 1234567890)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday)

-- errors
print(pcall(error, "boom"))
print(select(2, pcall(error, {code = 42})).code)
print(select(2, pcall(function() return nil + 1 end)):match("arithmetic"))
print(xpcall(function() error("deep", 0) end,
             function(m) return "handled: " .. m end))

-- files
local f = assert(io.open(here .. "data.txt"))
for line in f:lines() do io.write("[", line, "]") end
io.write("\n")
f:close()
print(io.open(here .. "missing.txt") == nil)
local tmp = os.tmpname()
local w = assert(io.open(tmp, "w"))
w:write("written ", 42, "\n")
w:close()
print(io.open(tmp):read("a"))
os.remove(tmp)

-- tables, strings, sorting
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
    words[#words + 1] = w
end
table.sort(words)
print(table.concat(words, ","), #words, ("x"):rep(3, "-"))
print(("Hello"):upper(), ("%d items"):format(3), utf8.char(72, 228, 8364))
collectgarbage()
print("done")
