-- Rules that allocate without end.
local M = {}

function M.table_growth()
	local t, i = {}, 0
	while true do
		i = i + 1
		t[i] = { i }
	end
end

function M.growth_in_pcall()
	while true do
		pcall(function()
			local t = {}
			for i = 1, 1e9 do t[i] = i end
		end)
	end
end

function M.catch_and_return()
	local ok = pcall(function()
		local t = {}
		for i = 1, 1e9 do t[i] = i end
	end)
	return ok
end

function M.rep_huge()
	return string.rep("x", 1 << 30)
end

function M.rep_too_large()
	return string.rep("x", 1 << 40)
end

function M.rep_method()
	return ("x"):rep(1e9)
end

function M.rep_empty()
	return #string.rep("", math.maxinteger)
end

function M.concat_doubling()
	local s = "x"
	while true do s = s .. s end
end

function M.concat_in_pcall()
	local s = "x"
	while true do
		pcall(function() s = s .. s end)
	end
end

-- Cheap in instructions, expensive in bytes: only the clock stops it.
function M.slow_copies()
	local s = string.rep("x", 1 << 20)
	while true do
		local t = s .. s
	end
end

return M
