-- 客户公海规则 Rules of the public pool (客户公海).
--
-- Read this as policy:
--   * A salesperson may own at most 200 customers, a manager 500; directors and admins
--     have no limit (0 = no limit). A person's own "maximum customers" in their staff
--     record, when set, wins over this table.
--   * Nobody may claim more than 20 customers from the pool in one day.
--   * After a customer returned to the pool, its previous owner must wait 7 days before
--     claiming it again.
--   * A customer goes back to the pool by itself when its owner has not visited it for 30
--     days, or has made no deal with it for 90 days (government customers: 60 and 180).
--     The owner is warned 3 days before. Locked customers never go back by themselves.

local M = {}

M.max_customers = { salesperson = 200, manager = 500, director = 0, admin = 0 }
M.daily_claim_cap = 20
M.cooldown_days = 7
M.warn_days_before = 3

M.return_after = {
	default = { no_visit_days = 30, no_deal_days = 90 },
	gov = { no_visit_days = 60, no_deal_days = 180 },
}

-- How long a customer may go without a visit or a deal before it returns to the
-- pool, for the scheduled job: {default = {no_visit_days, no_deal_days},
-- by_type = {[type code] = {...}}} (a type's rule covers its subtypes).
function M.reclaim_policy()
	local by_type = {}
	for code, rule in pairs(M.return_after) do
		if code ~= "default" then by_type[code] = rule end
	end
	return { default = M.return_after.default, by_type = by_type,
		warn_days_before = M.warn_days_before }
end

-- The limits that apply to one person: {max = n (0 = none), daily_cap = n, cooldown_days = n}.
function M.limits(person)
	local max = person.max_customers
	if max == nil then
		max = M.max_customers[person.role] or 200
	end
	return { max = max, daily_cap = M.daily_claim_cap, cooldown_days = M.cooldown_days }
end

return M
