local a = crm.require("fuzz")
local b = crm.require("../../etc/passwd")
local M = { f = function() return crm.require("nothere") end }
return M
