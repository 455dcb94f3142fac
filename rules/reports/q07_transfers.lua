-- 客户转交查询 Transfers (RPT-Q7)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户转交查询", en = "Transfers" },
	kind = "query",
	source = "transfers",
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
		{ key = "transfer_date", field = "transfer_date" },
		{ key = "from_owner", field = "from_owner" },
		{ key = "to_owner", field = "to_owner" },
	},
	sort = "-transfer_date",
}
