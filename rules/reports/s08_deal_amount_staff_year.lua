-- 本年业务员成交金额 Deal amount per salesperson this year (RPT-S8)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本年业务员成交金额", en = "Deal amount per salesperson this year" },
	kind = "stat",
	source = "activity",
	roles = { "manager", "director", "admin" },
	filters = {
		{ name = "from", default = "year_start" },
		{ name = "to", default = "year_end" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "staff", field = "staff" },
		{ key = "total", measure = "sum", field = "deal_amount", zh = "全年合计", en = "Year total" },
	},
	pivot = { by = "month", measure = "sum", field = "deal_amount" },
	sort = "staff",
	chart = { type = "line", category = "staff", values = { "m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09", "m10", "m11", "m12" }, orient = "columns" },
	drill = { report = "q06_deals" },
}
