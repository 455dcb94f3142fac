-- 新增客户查询 New customers (RPT-Q1)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "新增客户查询", en = "New customers" },
	kind = "query",
	source = "new_customers",
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
		{ key = "type", field = "type" },
		{ key = "source", field = "source" },
		{ key = "region", field = "region" },
		{ key = "created", field = "created" },
	},
	sort = "-created",
}
