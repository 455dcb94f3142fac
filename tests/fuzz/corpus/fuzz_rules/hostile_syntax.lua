-- A syntax error on line 4.
return {
	run = function()
		if then
	end,
}
