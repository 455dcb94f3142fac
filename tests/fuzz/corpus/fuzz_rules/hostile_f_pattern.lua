local M = {}
function M.f(n, s) return string.find(string.rep("a", 5000), string.rep("a?", 5000) .. string.rep("a", 5000)) end
return M
