-- Attempts to leave the sandbox or to change what other rule files see.
local M = {}

function M.touch_G() return _G end
function M.os() return os.time() end
function M.io() return io.open("/etc/passwd") end
function M.require() return require("os") end
function M.dofile() return dofile("/etc/passwd") end
function M.loadfile() return loadfile("/etc/passwd") end
function M.load_bytecode() return load("\27Lua\84\0\25\147\13\10\26\10\4\8\8") end
function M.string_dump() return string.dump(function() end) end
function M.debug() return debug.getinfo(1) end
function M.collectgarbage() return collectgarbage("count") end
function M.set_global() x = 1 end
function M.set_library() string.upper = nil end
function M.rawset_library() rawset(string, "upper", function() return "pwned" end) end
function M.rawset_pairs_state()
	local _, state = pairs(string)
	rawset(state, "upper", function() return "pwned" end)
end
function M.setmetatable_library() setmetatable(string, {}) end
function M.string_metatable() getmetatable("").__index.upper = nil end
function M.string_metatable_set() getmetatable("").__index = {} end
function M.setmetatable_env() setmetatable(_ENV, nil) end
function M.gc_metamethod() setmetatable({}, { __gc = function() while true do end end }) end
function M.crm_changed() crm.require = nil end

-- Everything above, caught: nothing may have changed.
function M.all_caught()
	pcall(function() string.upper = nil end)
	pcall(rawset, string, "upper", nil)
	pcall(rawset, table, "insert", nil)
	pcall(setmetatable, string, {})
	pcall(function() getmetatable("").__index = {} end)
	return ("abc"):upper() .. string.upper("d")
end

-- Reading the library is allowed.
function M.pairs_library()
	local n = 0
	for k, v in pairs(string) do
		if type(v) == "function" then n = n + 1 end
	end
	return n > 10 and string.dump == nil
end

-- A rule may change its own environment: no one else sees it.
function M.own_env()
	rawset(_ENV, "mine", 1)
	return mine
end

return M
