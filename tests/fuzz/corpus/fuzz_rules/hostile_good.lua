-- A well-behaved rule file: after every hostile call, these must still work.
return {
	add = function(a, b) return a + b end,
	echo = function(...) return ... end,
	upper = function(s) return s:upper() .. string.upper("b") end,
	const = { 1, 2, 3 },
	empty = {},
	empty_array = crm.array(),
	nothing = function() end,
	holes = function() return { [1] = "a", [2] = "b", [4] = "d" } end,
	mixed = function() return { 1, 2, x = 3 } end,
	null_in_array = function() return { 1, crm.null, 3 } end,
	count = function(...) return select("#", ...) end,
}
