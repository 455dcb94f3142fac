-- 本月业务员成交金额 Deal amount per salesperson this month (RPT-S9)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本月业务员成交金额", en = "Deal amount per salesperson this month" },
	kind = "stat",
	source = "activity",
	roles = { "manager", "director", "admin" },
	filters = {
		{ name = "from", default = "month_start" },
		{ name = "to", default = "month_end" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "staff", field = "staff" },
		{ key = "deals", measure = "sum", field = "deals", zh = "成交笔数", en = "Deals" },
		{ key = "deal_amount", measure = "sum", field = "deal_amount", zh = "成交金额", en = "Deal amount" },
	},
	sort = "-deal_amount",
	chart = { type = "table", category = "staff", values = { "deal_amount" } },
	drill = { report = "q06_deals" },
}
