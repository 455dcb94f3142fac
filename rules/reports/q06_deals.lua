-- 客户成交查询 Deals (RPT-Q6)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户成交查询", en = "Deals" },
	kind = "query",
	source = "deals",
	filters = {
		{ name = "from", default = "month_start" },
		{ name = "to", default = "month_end" },
		{ name = "region" },
		{ name = "type" },
		{ name = "department" },
		{ name = "staff" },
		{ name = "customer" },
		{ name = "q" },
	},
	columns = {
		{ key = "name", field = "name" },
		{ key = "deal_date", field = "deal_date" },
		{ key = "amount", field = "amount" },
		{ key = "owner", field = "staff", zh = "负责人", en = "Owner" },
		{ key = "region", field = "region" },
	},
	sort = "-deal_date",
}
