-- 客户位置查询 Customer locations (RPT-Q4)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户位置查询", en = "Customer locations" },
	kind = "query",
	source = "customers",
	filters = {
		{ name = "region" },
		{ name = "type" },
		{ name = "department" },
		{ name = "staff" },
		{ name = "q" },
	},
	columns = {
		{ key = "name", field = "name" },
		{ key = "address", field = "address" },
		{ key = "door", field = "door" },
		{ key = "contact", field = "contact" },
		{ key = "phone", field = "phone" },
	},
	sort = "name",
}
