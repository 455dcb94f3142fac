-- 客户信息查询 Customer information (RPT-Q9)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户信息查询", en = "Customer information" },
	kind = "query",
	source = "customers",
	filters = {
		{ name = "region" },
		{ name = "type" },
		{ name = "status" },
		{ name = "stage" },
		{ name = "source" },
		{ name = "department" },
		{ name = "staff" },
		{ name = "q" },
	},
	columns = {
		{ key = "name", field = "name" },
		{ key = "type", field = "type" },
		{ key = "status", field = "status" },
		{ key = "region", field = "region" },
		{ key = "owner", field = "owner" },
		{ key = "visit_count", field = "visit_count" },
	},
	sort = "name",
}
