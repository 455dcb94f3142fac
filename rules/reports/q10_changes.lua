-- 信息变更查询 Information changes (RPT-Q10)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "信息变更查询", en = "Information changes" },
	kind = "query",
	source = "changes",
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
		{ key = "change_date", field = "change_date" },
		{ key = "applicant", field = "staff" },
		{ key = "description", field = "description" },
	},
	sort = "-change_date",
}
