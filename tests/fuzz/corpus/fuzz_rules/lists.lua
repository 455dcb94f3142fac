-- 基础列表 The configurable lists: regions, sources, sales stages, customer
-- statuses and the customer-type tree.
--
-- Every entry has a code (short, lowercase letters, digits and _, never
-- changed once in use: customers store the code), a Chinese name (zh) and an
-- English name (en). The names may be changed at any time; the order here is
-- the order in forms and reports.
-- 每一项都有代码 code（启用后不要修改，客户记录保存的是代码）、中文名 zh 和
-- 英文名 en。名称可以随时修改；这里的顺序就是表单和报表中的顺序。
--
-- To retire an entry, remove it: customers that use it keep their code, and it
-- can no longer be chosen. rules/tests/lists.lua checks that codes are unique
-- and both names are filled in.

local M = {}

-- 区域 Sales regions.
M.regions = {
	{ code = "nc", zh = "华北", en = "North China" },
	{ code = "ne", zh = "东北", en = "Northeast China" },
	{ code = "ec", zh = "华东", en = "East China" },
	{ code = "cc", zh = "华中", en = "Central China" },
	{ code = "sc", zh = "华南", en = "South China" },
	{ code = "sw", zh = "西南", en = "Southwest China" },
	{ code = "nw", zh = "西北", en = "Northwest China" },
	{ code = "hmt", zh = "港澳台", en = "Hong Kong, Macao and Taiwan" },
}

-- 客户来源 Where a customer came from.
M.sources = {
	{ code = "cold_call", zh = "电话营销", en = "Cold call" },
	{ code = "referral", zh = "转介绍", en = "Referral" },
	{ code = "trade_show", zh = "展会", en = "Trade show" },
	{ code = "website", zh = "网络", en = "Website" },
	{ code = "advertising", zh = "广告", en = "Advertising" },
	{ code = "other", zh = "其他", en = "Other" },
}

-- 销售阶段 Sales stages, in the order a sale normally goes through them.
M.stages = {
	{ code = "initial", zh = "初步接触", en = "First contact" },
	{ code = "needs", zh = "需求确认", en = "Needs confirmed" },
	{ code = "proposal", zh = "方案报价", en = "Proposal and quote" },
	{ code = "negotiation", zh = "商务谈判", en = "Negotiation" },
	{ code = "won", zh = "成交", en = "Won" },
	{ code = "lost", zh = "流失", en = "Lost" },
}

-- 客户状态 Customer statuses.
M.statuses = {
	{ code = "potential", zh = "潜在", en = "Potential" },
	{ code = "interested", zh = "意向", en = "Interested" },
	{ code = "deal", zh = "成交", en = "Deal" },
	{ code = "lost", zh = "流失", en = "Lost" },
	{ code = "paused", zh = "暂停", en = "Paused" },
}

-- 客户类型 The customer-type tree. A type may have subtypes in children;
-- choosing a type in a list filter also shows its subtypes.
M.customer_types = {
	{ code = "enterprise", zh = "企业客户", en = "Enterprise", children = {
		{ code = "enterprise_large", zh = "大型企业", en = "Large enterprise" },
		{ code = "enterprise_sme", zh = "中小企业", en = "Small and medium enterprise", children = {
			{ code = "enterprise_medium", zh = "中型企业", en = "Medium enterprise" },
			{ code = "enterprise_small", zh = "小微企业", en = "Small and micro enterprise" },
		} },
	} },
	{ code = "gov", zh = "政府机构", en = "Government", children = {
		{ code = "gov_agency", zh = "党政机关", en = "Government agency" },
		{ code = "gov_institution", zh = "事业单位", en = "Public institution" },
	} },
	{ code = "individual", zh = "个人客户", en = "Individual" },
	{ code = "partner", zh = "渠道伙伴", en = "Channel partner", children = {
		{ code = "partner_agent", zh = "代理商", en = "Agent" },
		{ code = "partner_dealer", zh = "经销商", en = "Dealer" },
	} },
}

return M
