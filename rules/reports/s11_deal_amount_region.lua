-- 本年各区域成交金额 Deal amount by region this year (RPT-S11)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本年各区域成交金额", en = "Deal amount by region this year" },
	kind = "stat",
	source = "deals",
	roles = { "manager", "director", "admin" },
	filters = {
		{ name = "from", default = "year_start" },
		{ name = "to", default = "year_end" },
		{ name = "type" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "region", field = "region" },
		{ key = "deals", measure = "count", zh = "成交笔数", en = "Deals" },
		{ key = "amount", measure = "sum", field = "amount", zh = "成交金额", en = "Deal amount" },
	},
	sort = "-amount",
	chart = { type = "pie", category = "region", values = { "amount" } },
	drill = { report = "q06_deals" },
}
