-- Tests of rules/pool.lua: the limits of the public pool.
local pool = crm.require("pool")

return {
	limits_by_role = function()
		assert(pool.limits({ role = "salesperson" }).max == 200)
		assert(pool.limits({ role = "director" }).max == 0, "0 = no limit")
	end,
	a_personal_maximum_wins = function()
		assert(pool.limits({ role = "salesperson", max_customers = 3 }).max == 3)
	end,
	daily_cap_and_cooldown = function()
		local l = pool.limits({ role = "salesperson" })
		assert(l.daily_cap == 20 and l.cooldown_days == 7)
	end,
}
