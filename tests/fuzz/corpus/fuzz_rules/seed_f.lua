-- A rule with the function the harness calls.
local M = {}
function M.f(n, s, t)
	local out = { n = n + 1, s = s .. "!", list = {} }
	for i, v in ipairs(t.a) do out.list[i] = v * 2 end
	out.b = t.b == nil
	return out
end
return M
