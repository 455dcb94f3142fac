-- Loops that try to catch the budget error and carry on.
local M = {}

function M.run()
	while true do
		pcall(function() while true do end end)
	end
end

function M.xpcall_handler()
	while true do
		xpcall(function() while true do end end, function() while true do end end)
	end
end

function M.handler_loops()
	return xpcall(error, function() while true do end end)
end

function M.nested()
	local function f()
		while true do pcall(f) end
	end
	f()
end

function M.catch_and_return()
	local ok, err = pcall(function() while true do end end)
	return { ok = ok, err = err }
end

function M.error_in_loop()
	while true do
		pcall(error, "again")
	end
end

return M
