-- Tests of rules/routing.lua: who approves what.
local routing = crm.require("routing")

return {
	new_customers_and_claims_need_no_approval = function()
		local ctx = { applicant = { role = "salesperson" } }
		assert(#routing.route("customer_new", {}, ctx) == 0)
		assert(#routing.route("customer_claim", {}, ctx) == 0)
	end,
	a_salespersons_info_change_goes_to_the_manager = function()
		local steps = routing.route("customer_change", {}, { applicant = { role = "salesperson" } })
		assert(#steps == 1 and steps[1].approver == "dept_manager")
	end,
	a_managers_info_change_is_applied_at_once = function()
		assert(#routing.route("customer_change", {}, { applicant = { role = "manager" } }) == 0)
	end,
}
