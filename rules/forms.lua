-- 表单定义 Form definitions.
--
-- The web draws every form from these definitions, and the server checks every
-- document against the same definitions before anything is saved.
--
-- A field: { key = "name", type = ..., required = true/false, max = n, zh = "...", en = "..." }
-- Types: text, textarea, phone, number (min, max), select (options = a list of
-- rules/lists.lua, or a list of {code, zh, en}), tree (options = "customer_types"),
-- staff (a colleague's id), staff_multi, customer (a customer's id), customer_multi, bool,
-- file (the token of an upload; kind = "photo", "contract" or "logo" says which uploads fit).
--
-- To add a field to the customer form (PLT-FIELDS), add a line with extra = true to
-- customer_fields below: the value is kept in the customer's extra fields, shown on the
-- customer page and in lists, and can be changed through an info change.

local lists = crm.require("lists")

local M = {}

local customer_fields = {
	{ key = "name", type = "text", required = true, max = 200, zh = "客户名称", en = "Customer name" },
	{ key = "address", type = "text", required = true, max = 300, zh = "地址", en = "Address" },
	{ key = "contact", type = "text", required = true, max = 50, zh = "联系人", en = "Contact" },
	{ key = "phone", type = "phone", required = true, zh = "联系电话", en = "Phone" },
	{ key = "region", type = "select", options = "regions", required = true, zh = "区域", en = "Region" },
	{ key = "type", type = "tree", options = "customer_types", required = true, zh = "客户类型", en = "Customer type" },
	{ key = "source", type = "select", options = "sources", required = true, zh = "客户来源", en = "Source" },
	{ key = "stage", type = "select", options = "stages", zh = "销售阶段", en = "Sales stage" },
	{ key = "status", type = "select", options = "statuses", zh = "客户状态", en = "Status" },
	{ key = "share_with", type = "staff_multi", zh = "共享给", en = "Share with" },
	{ key = "lat", type = "number", min = -90, max = 90, zh = "纬度", en = "Latitude" },
	{ key = "lng", type = "number", min = -180, max = 180, zh = "经度", en = "Longitude" },
	{ key = "logo", type = "file", kind = "logo", zh = "门头照片或标志", en = "Storefront photo or logo" },
	-- Fields added by the administrator (kept in the customer's extra fields):
	{ key = "website", type = "text", max = 200, extra = true, zh = "网址", en = "Website" },
}

local function copy_optional(fields)
	local out = {}
	for i, f in ipairs(fields) do
		local g = {}
		for k, v in pairs(f) do g[k] = v end
		g.required = false
		out[i] = g
	end
	return out
end

M.customer_new = {
	zh = "新增客户", en = "New customer",
	fields = customer_fields,
}

M.customer_claim = {
	zh = "客户申领", en = "Claim a customer",
	fields = {
		{ key = "customer_id", type = "customer", required = true, zh = "客户", en = "Customer" },
	},
}

local transfer_reasons = {
	{ code = "job_change", zh = "岗位调整", en = "Job change" },
	{ code = "territory", zh = "区域调整", en = "Territory change" },
	{ code = "leaving", zh = "离职", en = "Leaving" },
	{ code = "other", zh = "其他", en = "Other" },
}

M.transfer = {
	zh = "客户转交", en = "Transfer customers",
	fields = {
		{ key = "customer_ids", type = "customer_multi", zh = "客户", en = "Customers" },
		{ key = "all", type = "bool", zh = "转交我的全部客户", en = "All my customers" },
		{ key = "to", type = "staff", required = true, zh = "接收人", en = "Receiver" },
		{ key = "reason", type = "select", options = transfer_reasons, required = true, zh = "转交原因", en = "Reason" },
		{ key = "note", type = "textarea", max = 500, zh = "说明", en = "Note" },
	},
	check = function(data, ctx)
		if not data.all and (data.customer_ids == nil or #data.customer_ids == 0) then
			return { { field = "customer_ids", zh = "请选择要转交的客户，或选择转交全部客户。",
				en = "Pick the customers to transfer, or transfer all of them." } }
		end
		if data.to == ctx.applicant.id then
			return { { field = "to", zh = "不能转交给自己。", en = "You cannot transfer to yourself." } }
		end
	end,
}

local change_fields = copy_optional(customer_fields)
table.insert(change_fields, 1, { key = "customer_id", type = "customer", required = true, zh = "客户", en = "Customer" })
-- Managers, directors and admins may also give the customer another owner.
table.insert(change_fields, { key = "owner_id", type = "staff", roles = { "manager", "director", "admin" },
	zh = "负责人", en = "Owner" })
table.insert(change_fields, { key = "reason", type = "textarea", required = true, max = 500, zh = "变更原因", en = "Reason for the change" })

M.customer_change = {
	zh = "信息变更", en = "Change customer information",
	fields = change_fields,
	check = function(data, ctx)
		if data.owner_id ~= nil and ctx.applicant.role == "salesperson" then
			return { { field = "owner_id", zh = "业务人员不能更换负责人，请使用客户转交。",
				en = "Salespeople cannot change the owner; use a transfer." } }
		end
		local n = 0
		for k in pairs(data) do
			if k ~= "customer_id" and k ~= "reason" then n = n + 1 end
		end
		if n == 0 then
			return { { field = "reason", zh = "没有要变更的内容。", en = "Nothing to change." } }
		end
	end,
}

-- 客户导入 An import of historical customers (rules/import.lua checks each row of the
-- file with the new-customer form above). mode: all = only when every row is fine;
-- good_only = the rows without problems. import_id is checked by the server.
M.customer_import = {
	zh = "客户导入", en = "Customer import",
	fields = {
		{ key = "import_id", type = "import", required = true, zh = "导入文件", en = "Imported file" },
		{ key = "mode", type = "select", required = true, zh = "导入方式", en = "What to import", options = {
			{ code = "all", zh = "全部行（有问题时不导入）", en = "All rows (nothing when any row has a problem)" },
			{ code = "good_only", zh = "只导入没有问题的行", en = "The good rows only" },
		} },
	},
}

M.visit = {
	zh = "客户拜访", en = "Visit",
	fields = {
		{ key = "customer_id", type = "customer", required = true, zh = "客户", en = "Customer" },
		{ key = "captured_at", type = "datetime", zh = "拜访时间", en = "Time of the visit" },
		{ key = "place", type = "text", max = 200, zh = "拜访地点", en = "Place" },
		{ key = "met", type = "text", required = true, max = 100, zh = "拜访对象", en = "Person met" },
		{ key = "stage", type = "select", options = "stages", required = true, zh = "销售阶段", en = "Sales stage" },
		{ key = "status", type = "select", options = "statuses", zh = "客户状态", en = "Customer status" },
		{ key = "notes", type = "textarea", required = true, max = 2000, zh = "拜访记录", en = "Notes" },
		{ key = "photo", type = "file", zh = "现场照片", en = "Photo on site" },
		{ key = "lat", type = "number", min = -90, max = 90, zh = "纬度", en = "Latitude" },
		{ key = "lng", type = "number", min = -180, max = 180, zh = "经度", en = "Longitude" },
		{ key = "qr_token", type = "token", zh = "扫码凭证", en = "Scanned code" },
	},
}

M.deal = {
	zh = "客户成交", en = "Deal",
	fields = {
		{ key = "customer_id", type = "customer", required = true, zh = "客户", en = "Customer" },
		{ key = "deal_date", type = "date", required = true, zh = "成交日期", en = "Date" },
		{ key = "amount", type = "money", required = true, zh = "成交金额（元）", en = "Amount (yuan)" },
		{ key = "contract", type = "file", zh = "合同附件", en = "Contract" },
		{ key = "notes", type = "textarea", max = 1000, zh = "备注", en = "Notes" },
	},
}

M.payment = {
	zh = "客户回款", en = "Payment received",
	fields = {
		{ key = "customer_id", type = "customer", required = true, zh = "客户", en = "Customer" },
		{ key = "pay_date", type = "date", required = true, zh = "回款日期", en = "Date" },
		{ key = "amount", type = "money", required = true, zh = "回款金额（元）", en = "Amount (yuan)" },
		{ key = "notes", type = "textarea", max = 1000, zh = "备注", en = "Notes" },
	},
}

M.daily_report = {
	zh = "销售日报", en = "Daily sales report",
	fields = {
		{ key = "day", type = "date", required = true, zh = "日期", en = "Day" },
		{ key = "summary", type = "textarea", required = true, max = 4000, zh = "今日总结", en = "Today's summary" },
		{ key = "plan", type = "textarea", required = true, max = 4000, zh = "明日计划", en = "Tomorrow's plan" },
	},
}

M.target = {
	zh = "指标编审", en = "Targets",
	fields = {
		{ key = "period", type = "text", required = true, max = 40, zh = "考核期间", en = "Period" },
		{ key = "start_date", type = "date", required = true, zh = "开始日期", en = "Start date" },
		{ key = "end_date", type = "date", required = true, zh = "结束日期", en = "End date" },
		{ key = "targets", type = "target_rows", required = true, zh = "人员指标", en = "Targets per person" },
	},
	check = function(data, ctx)
		if data.start_date > data.end_date then
			return { { field = "end_date", zh = "结束日期不能早于开始日期。",
				en = "The end date cannot be before the start date." } }
		end
	end,
}

-- ---------------------------------------------------------------- checking

local function options_of(f)
	if type(f.options) == "string" then return lists[f.options] end
	return f.options
end

-- Lookup sets made once per list (a reload of the rules makes new lists, so
-- the sets are keyed by the list itself and go with it): the codes of a
-- select's options, the codes anywhere in a tree, the keys of a form.
-- 每个列表只建一次查找表，逐行校验时不再遍历列表。
local none = {}

-- memo(build): build(t) once per table t (weak keys: it goes with the table).
local function memo(build)
	local cache = setmetatable({}, { __mode = "k" })
	return function(t)
		local v = cache[t]
		if v == nil then
			v = build(t)
			cache[t] = v
		end
		return v
	end
end

local function add_codes(nodes, deep, set)
	for _, n in ipairs(nodes) do
		if n.code ~= nil then set[n.code] = true end
		if deep and n.children then add_codes(n.children, true, set) end
	end
	return set
end

local select_codes = memo(function(opts) return add_codes(opts, false, {}) end)
local tree_codes = memo(function(opts) return add_codes(opts, true, {}) end)
local known_keys = memo(function(fields)
	local set = {}
	for _, f in ipairs(fields) do set[f.key] = true end
	return set
end)

local function err(f, zh, en)
	return { field = f.key, zh = f.zh .. zh, en = f.en .. en }
end

local function is_id(v)
	return math.type(v) == "integer" and v > 0
end

-- "YYYY-MM-DD" naming a day that exists (no 30 February).
local function real_date(v)
	local y, m, d = string.match(type(v) == "string" and v or "", "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
	if not y then return false end
	y, m, d = tonumber(y), tonumber(m), tonumber(d)
	if y < 1900 or m < 1 or m > 12 or d < 1 then return false end
	local days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
	if m == 2 and (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) then return d <= 29 end
	return d <= days[m]
end

local function check_field(f, v)
	local t = f.type
	if t == "text" or t == "textarea" then
		if type(v) ~= "string" then return err(f, "应为文本。", " must be text.") end
		local n = utf8.len(v)
		if n == nil then return err(f, "含有无效字符。", " has invalid characters.") end
		if n > (f.max or 200) then
			return err(f, "不能超过 " .. (f.max or 200) .. " 个字。", " must be at most " .. (f.max or 200) .. " characters.")
		end
	elseif t == "phone" then
		if type(v) ~= "string" or not string.match(v, "^%+?[%d%- ]+$") or #v < 5 or #v > 20 then
			return err(f, "格式不正确（5 到 20 位数字）。", " is not a valid number (5 to 20 digits).")
		end
	elseif t == "number" then
		if type(v) ~= "number" then return err(f, "应为数字。", " must be a number.") end
		if (f.min and v < f.min) or (f.max and v > f.max) then
			return err(f, "超出范围。", " is out of range.")
		end
	elseif t == "select" then
		if not select_codes(options_of(f) or none)[v] then
			return err(f, "不在可选范围内。", " is not one of the choices.")
		end
	elseif t == "tree" then
		if type(v) ~= "string" or not tree_codes(options_of(f) or none)[v] then
			return err(f, "不在可选范围内。", " is not one of the choices.")
		end
	elseif t == "staff" or t == "customer" then
		if not is_id(v) then return err(f, "无效。", " is not valid.") end
	elseif t == "staff_multi" or t == "customer_multi" then
		if type(v) ~= "table" then return err(f, "应为列表。", " must be a list.") end
		if #v > 1000 then return err(f, "最多 1000 项。", " may have at most 1000 items.") end
		for _, id in ipairs(v) do
			if not is_id(id) then return err(f, "含有无效项。", " has an invalid item.") end
		end
	elseif t == "money" then
		-- Yuan with at most two decimals, as text ("1234.50") or a whole number.
		local text = math.type(v) == "integer" and tostring(v) or v
		if type(text) ~= "string" or not string.match(text, "^%d+$") and
		    not string.match(text, "^%d+%.%d%d?$") then
			return err(f, "应为金额，最多两位小数。", " must be an amount with at most two decimals.")
		end
		local n = tonumber(text)
		if n <= 0 or n >= 1e12 then return err(f, "超出范围。", " is out of range.") end
	elseif t == "date" then
		if not real_date(v) then
			return err(f, "应为日期（年-月-日）。", " must be a date (YYYY-MM-DD).")
		end
	elseif t == "datetime" then
		if type(v) ~= "string" or not string.match(v, "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d") or #v > 40 then
			return err(f, "应为时间。", " must be a date and time.")
		end
	elseif t == "file" or t == "token" then
		if type(v) ~= "string" or #v > 300 or not string.match(v, "^[%w_%-%.]+$") then
			return err(f, "无效。", " is not valid.")
		end
	elseif t == "target_rows" then
		-- {staff_id, new_customers, visits, deal_amount, payment_amount} per person.
		if type(v) ~= "table" or #v == 0 or #v > 500 then
			return err(f, "应为 1 到 500 人的指标。", " must list 1 to 500 people.")
		end
		local seen = {}
		for _, row in ipairs(v) do
			if type(row) ~= "table" or not is_id(row.staff_id) then
				return err(f, "中有无效的人员。", " has an invalid person.")
			end
			if seen[row.staff_id] then
				return err(f, "中同一人出现了两次。", " names one person twice.")
			end
			seen[row.staff_id] = true
			for _, k in ipairs({ "new_customers", "visits" }) do
				local n = row[k] or 0
				if math.type(n) ~= "integer" or n < 0 or n > 1000000 then
					return err(f, "中的数量应为非负整数。", " counts must be whole numbers, 0 or more.")
				end
			end
			for _, k in ipairs({ "deal_amount", "payment_amount" }) do
				local a = row[k] or 0
				local text = math.type(a) == "integer" and tostring(a) or a
				if type(text) ~= "string" or not (string.match(text, "^%d+$") or
				    string.match(text, "^%d+%.%d%d?$")) or tonumber(text) >= 1e12 then
					return err(f, "中的金额应为非负数，最多两位小数。",
						" amounts must be 0 or more, with at most two decimals.")
				end
			end
			for k in pairs(row) do
				if k ~= "staff_id" and k ~= "new_customers" and k ~= "visits" and
				    k ~= "deal_amount" and k ~= "payment_amount" then
					return err(f, "中有不允许的项：" .. tostring(k), " has an unknown item: " .. tostring(k))
				end
			end
		end
	elseif t == "bool" then
		if type(v) ~= "boolean" then return err(f, "应为是或否。", " must be yes or no.") end
	end
	return nil
end

local function blank(v)
	return v == nil or v == "" or (type(v) == "table" and next(v) == nil)
end

-- Check the data of a document against its form; nil when fine, else a list of
-- {field, zh, en}. ctx.applicant: {id, role, department}.
function M.validate(kind, data, ctx)
	local form = M[kind]
	if type(form) ~= "table" or form.fields == nil then
		return { { field = "kind", zh = "未知的单据类型。", en = "Unknown document kind." } }
	end
	local errors, known = {}, known_keys(form.fields)
	for _, f in ipairs(form.fields) do
		local v = data[f.key]
		if blank(v) then
			if f.required then
				errors[#errors + 1] = err(f, "为必填项。", " is required.")
			end
		else
			local e = check_field(f, v)
			if e ~= nil then errors[#errors + 1] = e end
		end
	end
	for k in pairs(data) do
		if not known[k] then
			errors[#errors + 1] = { field = tostring(k), zh = "不允许的字段：" .. tostring(k),
				en = "Field not allowed: " .. tostring(k) }
		end
	end
	if #errors == 0 and form.check then
		errors = form.check(data, ctx) or {}
	end
	if #errors == 0 then return nil end
	return errors
end

-- A form for the web: fields with their options filled in (no functions),
-- without the fields the role may not use (a field's roles list).
function M.get(kind, role)
	local form = M[kind]
	if type(form) ~= "table" or form.fields == nil then return nil end
	local fields = {}
	for _, f in ipairs(form.fields) do
		local allowed = f.roles == nil
		for _, r in ipairs(f.roles or {}) do
			if r == role then allowed = true end
		end
		if allowed then
			local g = {}
			for k, v in pairs(f) do g[k] = v end
			if f.options then g.options = options_of(f) end
			g.roles = nil
			fields[#fields + 1] = g
		end
	end
	return { kind = kind, zh = form.zh, en = form.en, fields = fields }
end

-- The keys of the customer fields kept in customers.extra.
function M.extra_keys()
	local keys = {}
	for _, f in ipairs(customer_fields) do
		if f.extra then keys[#keys + 1] = f.key end
	end
	return keys
end

return M
