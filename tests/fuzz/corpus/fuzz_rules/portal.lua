-- 业务门户 The business portal (RPT-PORTAL): the dashboard each role sees.
--
-- For every role, the reports shown on the portal, in order. span is the width
-- on a PC: 24 = the whole row, 12 = half a row (two charts side by side). On a
-- phone every chart takes the whole width. Each report opens with its default
-- filters; a click on a figure drills to the list behind it.
-- 每个角色在门户上看到的报表及顺序；span 为电脑上的宽度（24 整行，12 半行）。
--
-- Only reports the person may read are shown (a report's roles).

local MY = {
	{ report = "s07_my_business", span = 24 },
	{ report = "s12_my_customers_status", span = 12 },
	{ report = "s05_my_new_by_type_month", span = 12 },
	{ report = "s02_my_visits", span = 24 },
}

local TEAM = {
	{ report = "s06_business_per_staff", span = 24 },
	{ report = "s11_deal_amount_region", span = 12 },
	{ report = "s14_customers_type", span = 12 },
	{ report = "s08_deal_amount_staff_year", span = 24 },
	{ report = "s04_new_by_region_month", span = 24 },
	{ report = "s10_deal_amount_staff_region", span = 24 },
	{ report = "s13_customers_stage", span = 12 },
	{ report = "s15_customers_status", span = 12 },
}

return {
	salesperson = MY,
	manager = TEAM,
	director = TEAM,
	admin = TEAM,
}
