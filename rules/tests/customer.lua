-- Tests of rules/customer.lua: which names count as the same customer.
local customer = crm.require("customer")
local n = customer.normalize

return {
	spaces_are_ignored = function()
		assert(n("华为 技术") == n("华为技术"))
		assert(n("　华为技术　") == n("华为技术"), "full-width spaces")
	end,
	full_width_folds_to_half_width = function()
		assert(n("ＡＢＣ１２３") == "abc123")
	end,
	case_is_ignored = function()
		assert(n("Acme Trading") == n("ACME TRADING"))
	end,
	company_suffix_is_ignored = function()
		assert(n("华为技术有限公司") == n("华为技术"))
		assert(n("华为技术股份有限公司") == n("华为技术"))
		assert(n("Acme Co.,Ltd.") == n("acme"))
	end,
	names_without_spaces_or_full_width_fold_the_same_way = function()
		-- The fast path (nothing to drop or turn half-width) and the full loop agree.
		assert(n("ACMEInc.") == "acme")
		assert(n("ＡCME") == n("ACME"), "one full-width letter takes the loop")
		assert(n("华为技术有限公司") == n("华为技术 有限公司"))
		assert(n("Ölwerk") == string.lower("Ölwerk"), "non-ASCII letters as string.lower leaves them")
	end,
	different_names_stay_different = function()
		assert(n("华为技术") ~= n("华为科技"))
		assert(n("公司") == "公司", "a name that is only a suffix is kept")
	end,
}
