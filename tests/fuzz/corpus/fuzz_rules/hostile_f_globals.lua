local M = {}
function M.f() _G.x = 1; os.exit(1); load("return 1")(); require("os"); string.dump(M.f); collectgarbage() end
setmetatable(M, { __index = function() return M.f() end, __gc = function() while true do end end })
return M
