-- 客户销售阶段统计 Customers per sales stage (RPT-S13)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "客户销售阶段统计", en = "Customers per sales stage" },
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
		{ key = "stage", field = "stage" },
		{ key = "customers", measure = "count", zh = "客户数", en = "Customers" },
	},
	sort = "-customers",
	chart = { type = "bar", category = "stage", values = { "customers" } },
	drill = { report = "q09_customers" },
}
