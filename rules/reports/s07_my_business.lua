-- 本月我的业务统计 My business this month (RPT-S7)
--
-- A report definition (docs/rules.md "Reports"): the source it reads, its
-- columns, the filters a reader may set (with defaults), the chart and where a
-- click drills to. Copy a built-in report from the report builder page to
-- change it without touching this file.

return {
	title = { zh = "本月我的业务统计", en = "My business this month" },
	kind = "stat",
	source = "activity",
	mine = true,
	filters = {
		{ name = "from", default = "month_start" },
		{ name = "to", default = "month_end" },
	},
	columns = {
		{ key = "staff", field = "staff" },
		{ key = "new_customers", measure = "sum", field = "new_customers", zh = "新增客户", en = "New customers" },
		{ key = "visits", measure = "sum", field = "visits", zh = "拜访", en = "Visits" },
		{ key = "deals", measure = "sum", field = "deals", zh = "成交笔数", en = "Deals" },
		{ key = "deal_amount", measure = "sum", field = "deal_amount", zh = "成交金额", en = "Deal amount" },
		{ key = "payments", measure = "sum", field = "payments", zh = "回款笔数", en = "Payments" },
		{ key = "payment_amount", measure = "sum", field = "payment_amount", zh = "回款金额", en = "Payment amount" },
	},
	chart = { type = "bar", category = "staff", values = { "new_customers", "visits", "deals", "payments" } },
	drill = {
		report = "q03_visits",
		reports = {
			new_customers = "q01_new_customers",
			deals = "q06_deals", deal_amount = "q06_deals",
			payments = "q05_payments", payment_amount = "q05_payments",
		},
	},
}
