-- 本年各区域新增客户（按月） New customers this year by region and month (RPT-S4)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本年各区域新增客户（按月）", en = "New customers this year by region and month" },
	kind = "stat",
	source = "new_customers",
	roles = { "manager", "director", "admin" },
	filters = {
		{ name = "from", default = "year_start" },
		{ name = "to", default = "year_end" },
		{ name = "region" },
		{ name = "type" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "region", field = "region" },
		{ key = "total", measure = "count", zh = "全年合计", en = "Year total" },
	},
	pivot = { by = "month", measure = "count" },
	sort = "region",
	chart = { type = "line", category = "region", values = { "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12" }, orient = "columns" },
	drill = { report = "q01_new_customers" },
}
