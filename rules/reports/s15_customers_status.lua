-- 客户状态统计 Customers by status (RPT-S15)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户状态统计", en = "Customers by status" },
	kind = "stat",
	source = "customers",
	roles = { "manager", "director", "admin" },
	filters = {
		{ name = "region" },
		{ name = "type" },
		{ name = "department" },
		{ name = "staff" },
	},
	columns = {
		{ key = "status", field = "status" },
		{ key = "customers", measure = "count", zh = "客户数", en = "Customers" },
		{ key = "share", measure = "share", zh = "占比", en = "Share" },
	},
	sort = "-customers",
	chart = { type = "pie", category = "status", values = { "customers" } },
	drill = { report = "q09_customers" },
}
