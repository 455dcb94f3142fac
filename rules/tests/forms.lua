-- Tests of rules/forms.lua: the checks every document passes.
local forms = crm.require("forms")
local ctx = { applicant = { id = 5, role = "salesperson", department = 2 } }

local function good()
	return { name = "北京测试科技", address = "北京市海淀区中关村大街 1 号", contact = "王先生",
		phone = "010-12345678", region = "north", type = "smb", source = "referral" }
end

local function has_error(errors, field)
	for _, e in ipairs(errors or {}) do
		if e.field == field then return true end
	end
	return false
end

return {
	a_complete_customer_passes = function()
		local lists = crm.require("lists")
		local d = good()
		d.region = lists.regions[1].code
		d.source = lists.sources[1].code
		d.type = lists.customer_types[1].code
		local errors = forms.validate("customer_new", d, ctx)
		assert(errors == nil, errors and errors[1].en)
	end,
	required_fields_are_enforced = function()
		local errors = forms.validate("customer_new", { name = "x" }, ctx)
		assert(has_error(errors, "address") and has_error(errors, "phone"))
	end,
	unknown_fields_are_refused = function()
		local d = good()
		d.colour = "red"
		assert(has_error(forms.validate("customer_new", d, ctx), "colour"))
	end,
	a_tree_takes_any_level_a_select_only_its_own_codes = function()
		local lists = crm.require("lists")
		local d = good()
		d.region = lists.regions[1].code
		d.source = lists.sources[1].code
		d.type = lists.customer_types[1].children[1].code	-- a subtype
		assert(not has_error(forms.validate("customer_new", d, ctx), "type"))
		d.type = lists.customer_types[1].code			-- its parent
		assert(not has_error(forms.validate("customer_new", d, ctx), "type"))
		d.type = { lists.customer_types[1].code }		-- not a code
		assert(has_error(forms.validate("customer_new", d, ctx), "type"))
		d.type = lists.customer_types[1].code
		d.source = lists.customer_types[1].code		-- another list's code
		assert(has_error(forms.validate("customer_new", d, ctx), "source"))
		d.source = 0 / 0					-- NaN is no code
		assert(has_error(forms.validate("customer_new", d, ctx), "source"))
		d.source = lists.sources[#lists.sources].code	-- the last one
		assert(forms.validate("customer_new", d, ctx) == nil)
	end,
	options_must_be_from_the_lists = function()
		local d = good()
		d.region = "atlantis"
		assert(has_error(forms.validate("customer_new", d, ctx), "region"))
	end,
	phone_format = function()
		local d = good()
		d.phone = "call me"
		assert(has_error(forms.validate("customer_new", d, ctx), "phone"))
	end,
	transfer_needs_customers_or_all = function()
		local errors = forms.validate("transfer", { to = 6, reason = "leaving" }, ctx)
		assert(has_error(errors, "customer_ids"))
		assert(forms.validate("transfer", { to = 6, reason = "leaving", all = true }, ctx) == nil)
	end,
	no_transfer_to_oneself = function()
		assert(has_error(forms.validate("transfer", { to = 5, reason = "leaving", all = true }, ctx), "to"))
	end,
	a_change_needs_something_to_change = function()
		assert(forms.validate("customer_change", { customer_id = 1, reason = "x" }, ctx) ~= nil)
		assert(forms.validate("customer_change", { customer_id = 1, reason = "x", contact = "李" }, ctx) == nil)
	end,
	unknown_kind = function()
		assert(has_error(forms.validate("nonsense", {}, ctx), "kind"))
	end,
	the_web_gets_forms_with_options = function()
		local f = forms.get("customer_new")
		assert(f.fields[1].key == "name")
		for _, field in ipairs(f.fields) do
			if field.key == "region" then assert(type(field.options) == "table" and #field.options > 0) end
		end
	end,
}
