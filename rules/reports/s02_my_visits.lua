-- 本年我的拜访统计 My visits this year (RPT-S2)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本年我的拜访统计", en = "My visits this year" },
	kind = "stat",
	source = "visits",
	mine = true,
	filters = {
		{ name = "from", default = "year_start" },
		{ name = "to", default = "year_end" },
		{ name = "region" },
		{ name = "type" },
	},
	columns = {
		{ key = "customer", field = "customer" },
		{ key = "visits", measure = "count", zh = "拜访次数", en = "Visits" },
		{ key = "last_visit", measure = "max", field = "visit_date", zh = "最近拜访日期", en = "Last visit" },
	},
	sort = "-visits",
	chart = { type = "bar", category = "customer", values = { "visits" } },
	drill = { report = "q03_visits" },
}
