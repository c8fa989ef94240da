-- A module, found by require through package.path.
local M = {}

function M.hello(name)
    return string.format("hello, %s, from Lua %s", name, _VERSION:sub(5))
end

return M
