local M = {}
function M.f() local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end return t end
return M
