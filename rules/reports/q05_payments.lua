-- 客户回款查询 Payments (RPT-Q5)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户回款查询", en = "Payments" },
	kind = "query",
	source = "payments",
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
		{ key = "pay_date", field = "pay_date" },
		{ key = "amount", field = "amount" },
		{ key = "region", field = "region" },
	},
	sort = "-pay_date",
}
