local M = {}
local function r(n) return r(n + 1) + 1 end
function M.f() local t = {} t.t = t return r(1), t end
return M
