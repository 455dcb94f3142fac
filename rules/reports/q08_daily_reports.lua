-- 销售日报查询 Daily reports (RPT-Q8)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "销售日报查询", en = "Daily reports" },
	kind = "query",
	source = "daily_reports",
	filters = {
		{ name = "from", default = "month_start" },
		{ name = "to", default = "month_end" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "day", field = "day" },
		{ key = "salesperson", field = "staff" },
		{ key = "summary", field = "summary" },
		{ key = "plan", field = "plan" },
	},
	sort = "-day",
}
