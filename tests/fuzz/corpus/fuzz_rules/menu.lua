-- 菜单 The menu of the web application.
--
-- The menu is a list of areas; each area has items that open a page. For every
-- area and item:
--   key    a fixed name the program uses (do not change it)
--   zh/en  the label shown, in Chinese and in English (change freely)
--   icon   (areas only) an Element Plus icon name, such as "User" or "Bell"
--   path   (items only) the page that opens
--   roles  who sees it: salesperson 业务人员, manager 销售经理, director 销售总监,
--          admin 管理员
-- An area is shown to a person only when it has at least one item they may see.
-- 菜单名称可以随意修改（zh/en）；key 和 path 由程序使用，请勿修改。
-- roles 决定谁能看到该菜单项。
--
-- Hiding an item only hides the link: what a person may do is still checked by
-- the server on every request.

local ALL = { "salesperson", "manager", "director", "admin" }
local MANAGERS = { "manager", "director", "admin" }
local ADMIN = { "admin" }

local M = {}

M.ROLES = ALL

M.areas = {
	{ key = "customers", zh = "客户信息", en = "Customers", icon = "User", roles = ALL,
	  children = {
		{ key = "customers_mine", zh = "我的客户", en = "My customers",
		  path = "/customers/mine", roles = ALL },
		{ key = "customers_shared_by_me", zh = "我共享的客户", en = "Shared by me",
		  path = "/customers/shared-by-me", roles = ALL },
		{ key = "customers_shared_with_me", zh = "共享给我的客户", en = "Shared with me",
		  path = "/customers/shared-with-me", roles = ALL },
		{ key = "customers_pool", zh = "客户公海", en = "Public pool",
		  path = "/customers/pool", roles = ALL },
		{ key = "customers_admin", zh = "客户管理", en = "Customer management",
		  path = "/customers/admin", roles = MANAGERS },
		{ key = "customers_import", zh = "客户导入", en = "Import customers",
		  path = "/customers/import", roles = ADMIN },
	} },

	{ key = "workflows", zh = "业务办理", en = "Workflows", icon = "Tickets", roles = ALL,
	  children = {
		{ key = "wf_new_customer", zh = "新增客户", en = "New customer",
		  path = "/workflows/new-customer", roles = ALL },
		{ key = "wf_visit", zh = "客户拜访", en = "Visit",
		  path = "/workflows/visit", roles = ALL },
		{ key = "wf_deal", zh = "客户成交", en = "Deal",
		  path = "/workflows/deal", roles = ALL },
		{ key = "wf_payment", zh = "客户回款", en = "Payment received",
		  path = "/workflows/payment", roles = ALL },
		{ key = "wf_daily_report", zh = "销售日报", en = "Daily sales report",
		  path = "/workflows/daily-report", roles = ALL },
		{ key = "wf_transfer", zh = "客户转交", en = "Transfer customers",
		  path = "/workflows/transfer", roles = ALL },
		{ key = "wf_change", zh = "信息变更", en = "Information change",
		  path = "/workflows/change", roles = ALL },
		{ key = "wf_todos", zh = "待办审批", en = "To-dos and approvals",
		  path = "/todos", roles = ALL },
	} },

	{ key = "staff", zh = "人员指标", en = "Staff and targets", icon = "Avatar", roles = ALL,
	  children = {
		{ key = "staff_org", zh = "组织人员", en = "Organisation and staff",
		  path = "/staff/org", roles = ADMIN },
		{ key = "staff_targets", zh = "指标设置", en = "Targets",
		  path = "/staff/targets", roles = ALL },
		{ key = "staff_progress", zh = "指标总览", en = "Target overview",
		  path = "/staff/progress", roles = ALL },
	} },

	{ key = "reports", zh = "客户报表", en = "Reports", icon = "DataAnalysis", roles = ALL,
	  children = {
		{ key = "reports_portal", zh = "业务门户", en = "Business portal",
		  path = "/reports/portal", roles = ALL },
		{ key = "reports_query", zh = "查询报表", en = "Query reports",
		  path = "/reports/query", roles = ALL },
		{ key = "reports_stats", zh = "统计报表", en = "Statistics reports",
		  path = "/reports/stats", roles = ALL },
		{ key = "reports_custom", zh = "自定义报表", en = "Custom reports",
		  path = "/reports/custom", roles = MANAGERS },
	} },

	{ key = "notifications", zh = "消息提醒", en = "Notifications", icon = "Bell", roles = ALL,
	  children = {
		{ key = "notifications_inbox", zh = "我的消息", en = "My notifications",
		  path = "/notifications", roles = ALL },
	} },

	{ key = "settings", zh = "系统设置", en = "Settings", icon = "Setting", roles = ADMIN,
	  children = {
		{ key = "settings_lists", zh = "基础列表", en = "Lists and customer types",
		  path = "/settings/lists", roles = ADMIN },
		{ key = "settings_rules", zh = "业务规则", en = "Business rules",
		  path = "/settings/rules", roles = ADMIN },
	} },
}

local function allowed(roles, role)
	for _, r in ipairs(roles) do
		if r == role then
			return true
		end
	end
	return false
end

-- for_role(role): the areas and items this role sees, without the roles lists.
-- An unknown role sees nothing.
function M.for_role(role)
	local out = crm.array()
	for _, area in ipairs(M.areas) do
		if allowed(area.roles, role) then
			local items = crm.array()
			for _, item in ipairs(area.children) do
				if allowed(item.roles, role) then
					items[#items + 1] = { key = item.key, zh = item.zh, en = item.en, path = item.path }
				end
			end
			if #items > 0 then
				out[#out + 1] = { key = area.key, zh = area.zh, en = area.en, icon = area.icon, children = items }
			end
		end
	end
	return out
end

return M
