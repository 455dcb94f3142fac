-- 客户拜访查询 Visits (RPT-Q3)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户拜访查询", en = "Visits" },
	kind = "query",
	source = "visits",
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
		{ key = "visit_time", field = "visit_time" },
		{ key = "visitor", field = "staff" },
		{ key = "place", field = "place" },
	},
	sort = "-visit_time",
}
