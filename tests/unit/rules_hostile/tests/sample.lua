-- A test file for rules_check: one pass, one failure, one endless loop.
return {
	passes = function() assert(1 + 1 == 2) end,
	fails = function() assert(1 + 1 == 3, "arithmetic is broken") end,
	loops = function() while true do end end,
}
