local M = {}
function M.f() for i = 1, 10 do pcall(function() while true do end end) end return "escaped" end
return M
