-- 本年我的新增客户（按类型、按月） My new customers this year by type and month (RPT-S5)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本年我的新增客户（按类型、按月）", en = "My new customers this year by type and month" },
	kind = "stat",
	source = "new_customers",
	mine = true,
	filters = {
		{ name = "from", default = "year_start" },
		{ name = "to", default = "year_end" },
		{ name = "region" },
		{ name = "type" },
	},
	columns = {
		{ key = "type", field = "type" },
		{ key = "total", measure = "count", zh = "全年合计", en = "Year total" },
	},
	pivot = { by = "month", measure = "count" },
	sort = "type",
	chart = { type = "bar", category = "type", values = { "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12" }, orient = "columns" },
	drill = { report = "q01_new_customers" },
}
