local M = {}
function M.f() while true do end end
return M
