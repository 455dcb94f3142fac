-- 客户申领查询 Claims (RPT-Q2)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户申领查询", en = "Claims" },
	kind = "query",
	source = "claims",
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
		{ key = "status", field = "status" },
		{ key = "claim_date", field = "claim_date" },
		{ key = "owner", field = "owner" },
		{ key = "region", field = "region" },
	},
	sort = "-claim_date",
}
