local M = {}
function M.f() local t = {} t.self = t return t end
M.g = setmetatable({}, { __pairs = function() error("x") end })
return M
