-- 测试辅助 Small helpers for the rule tests in rules/tests/.
--
-- A test is a function that raises an error when something is wrong; these
-- helpers raise a clear message naming the line of the test that failed.
--   check.equal(got, want, what)   got == want (deep comparison for tables)
--   check.is_nil(v, what)          v is nil
--   check.is_true(v, what)         v is neither nil nor false
--   check.fails(fn, pattern, what) calling fn raises an error whose message
--                                  contains pattern (plain text)

local M = {}

local function show(v, depth)
	depth = depth or 0
	if type(v) == "string" then
		return string.format("%q", v)
	end
	if type(v) ~= "table" then
		return tostring(v)
	end
	if depth > 3 then
		return "{...}"
	end
	local keys = {}
	for k in pairs(v) do
		keys[#keys + 1] = k
	end
	table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	local parts = {}
	for _, k in ipairs(keys) do
		parts[#parts + 1] = tostring(k) .. "=" .. show(v[k], depth + 1)
	end
	return "{" .. table.concat(parts, ", ") .. "}"
end

M.show = show

local function same(a, b)
	if type(a) ~= "table" or type(b) ~= "table" then
		return a == b
	end
	for k, v in pairs(a) do
		if not same(v, b[k]) then
			return false
		end
	end
	for k in pairs(b) do
		if a[k] == nil then
			return false
		end
	end
	return true
end

function M.equal(got, want, what)
	if not same(got, want) then
		error((what or "value") .. ": expected " .. show(want) .. ", got " .. show(got), 2)
	end
end

function M.is_nil(v, what)
	if v ~= nil then
		error((what or "value") .. ": expected nil, got " .. show(v), 2)
	end
end

function M.is_true(v, what)
	if not v then
		error((what or "condition") .. " does not hold", 2)
	end
end

function M.fails(fn, pattern, what)
	local ok, err = pcall(fn)
	if ok then
		error((what or "call") .. ": expected an error, but it succeeded", 2)
	end
	if pattern and not tostring(err):find(pattern, 1, true) then
		error((what or "call") .. ": expected an error containing " .. show(pattern) ..
		    ", got " .. show(err), 2)
	end
end

return M
