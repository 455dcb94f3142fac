-- Recursion without end, and results that cannot be JSON.
local M = {}

local function f(n) return 1 + f(n + 1) end
function M.endless() return f(1) end

local mt = {}
mt.__index = function(t, k) return t[k] end
function M.metamethod() return setmetatable({}, mt).x end

function M.tostring_loop()
	local t = setmetatable({}, { __tostring = function(self) return tostring(self) end })
	return tostring(t)
end

function M.deep_result()
	local t = {}
	local cur = t
	for _ = 1, 100 do
		cur.x = {}
		cur = cur.x
	end
	return t
end

function M.cyclic_result() local t = {}; t.self = t; return t end
function M.function_result() return { f = print } end
function M.nan_result() return 0 / 0 end
function M.inf_result() return { x = math.huge } end
function M.bad_utf8_result() return "\255" end
function M.float_key_result() return { [1.5] = true } end
function M.error_table() error({ code = 1 }) end
function M.error_plain() error("plain message", 0) end
function M.pattern_bomb() return string.find(string.rep("a", 5000), "a*a*a*a*b") end
function M.pattern_method_bomb() return (string.rep("a", 3000)):match(".-.-.-b") end
function M.pattern_gsub_bomb() return (string.rep("a", 3000)):gsub("a*a*a*b", "") end
function M.pattern_fine() return (("  trim me  "):match("^%s*(.-)%s*$")) end
function M.table_move() return table.move({}, 1, math.maxinteger // 2, 2) end
function M.table_insert_len()
	local t = setmetatable({}, { __len = function() return math.maxinteger // 2 end })
	table.insert(t, 1, "x")
end
function M.require_escape() return crm.require("../../etc/passwd") end
function M.require_missing() return crm.require("no_such_rule") end
function M.require_circular() return crm.require("circular_a") end

function M.nested_path() return { a = { 1, { b = print } } } end
function M.escapes()
	return { [1] = 'q"b\\n\nt\tc\1\31\195\169\228\184\173\127', [2] = true, [10] = 1, ['k"'] = false }
end

return M
