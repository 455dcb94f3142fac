-- 客户导入 Batch import of historical customers (CUS-IMPORT).
--
-- The import template has one column per field of the new-customer form
-- (rules/forms.lua customer_new, the fields an admin added included), plus the
-- owner's login. Every row of an uploaded file is checked with the SAME rules as
-- the new-customer form: forms.validate("customer_new", ...), and names are
-- folded by rules/customer.lua for the duplicate checks.
--
-- In a cell, a choice (region, type, source, stage, status) may be written as its
-- code, its Chinese name or its English name: "华北", "North China" and "nc" are
-- the same region. 单元格中的选项可以填代码、中文名或英文名。
--
-- Fields the template leaves out: those that name colleagues or customers by id,
-- and uploads (photos, attachments); share a customer or add its photo afterwards.

local forms = crm.require("forms")
local customer = crm.require("customer")
local numbering = crm.require("numbering")

local M = {}

-- The most data rows one file may hold. 单个文件最多的数据行数。
M.max_rows = 100000

-- The column naming the owner (a login). Empty: the customer goes to the public pool.
M.owner_column = {
	key = "owner", type = "owner", zh = "负责人登录名", en = "Owner login",
	note_zh = "填写负责人的登录名；留空则进入客户公海。",
	note_en = "The owner's login; leave empty to put the customer in the public pool.",
}

-- Field types a spreadsheet cell can carry.
local importable = { text = true, textarea = true, phone = true, number = true,
	select = true, tree = true, date = true, money = true, bool = true }

local type_notes = {
	text = { "文本", "Text" }, textarea = { "文本", "Text" },
	phone = { "电话号码，5 到 20 位数字，可含 + - 空格", "Phone number, 5 to 20 digits, + - and spaces allowed" },
	number = { "数字", "Number" },
	select = { "从右侧可选值中选一项（代码、中文名或英文名均可）", "One of the allowed values (code, Chinese or English name)" },
	tree = { "从右侧可选值中选一项（代码、中文名或英文名均可）", "One of the allowed values (code, Chinese or English name)" },
	date = { "日期，年-月-日", "Date, YYYY-MM-DD" },
	money = { "金额，最多两位小数", "Amount, at most two decimals" },
	bool = { "是 / 否", "Yes / no" },
}

local function flatten(nodes, out, depth)
	for _, n in ipairs(nodes or {}) do
		out[#out + 1] = { code = n.code, zh = n.zh, en = n.en, depth = depth }
		flatten(n.children, out, depth + 1)
	end
	return out
end

-- The template's columns, in order: {key, zh, en, type, required, max, min,
-- note_zh, note_en, choices = {{code, zh, en, depth}}}.
function M.columns()
	local form = forms.get("customer_new", "admin")
	local cols = crm.array()
	for _, f in ipairs(form.fields) do
		if importable[f.type] then
			local note = type_notes[f.type] or { "", "" }
			local c = { key = f.key, zh = f.zh, en = f.en, type = f.type,
				required = f.required == true, max = f.max, min = f.min,
				note_zh = note[1], note_en = note[2], choices = crm.array() }
			if f.type == "text" or f.type == "textarea" then
				c.note_zh = "文本，最多 " .. (f.max or 200) .. " 个字"
				c.note_en = "Text, at most " .. (f.max or 200) .. " characters"
			end
			if f.type == "number" and (f.min or f.max) then
				c.note_zh = "数字，" .. tostring(f.min) .. " 到 " .. tostring(f.max)
				c.note_en = "Number from " .. tostring(f.min) .. " to " .. tostring(f.max)
			end
			if f.type == "select" or f.type == "tree" then
				for _, o in ipairs(flatten(f.options, {}, 0)) do c.choices[#c.choices + 1] = o end
			end
			cols[#cols + 1] = c
		end
	end
	local o = M.owner_column
	cols[#cols + 1] = { key = o.key, zh = o.zh, en = o.en, type = o.type, required = false,
		note_zh = o.note_zh, note_en = o.note_en, choices = crm.array() }
	return cols
end

local IDSP = "\u{3000}"	-- the full-width space

local edge = { [9] = true, [10] = true, [13] = true, [32] = true, [0xE3] = true, [0x80] = true }

-- s without spaces (ASCII and full-width) at either end.
local function trim(s)
	-- Most cells have nothing to trim: look at the two end bytes first.
	if not edge[string.byte(s, 1)] and not edge[string.byte(s, -1)] then return s end
	local before
	repeat
		before = s
		s = string.gsub(s, "^%s+", "")
		if string.sub(s, 1, 3) == IDSP then s = string.sub(s, 4) end
	until s == before
	repeat
		before = s
		s = string.gsub(s, "%s+$", "")
		if #s >= 3 and string.sub(s, -3) == IDSP then s = string.sub(s, 1, -4) end
	until s == before
	return s
end

-- header(cells): which field each column of the first row holds. A header may be
-- the field's key, Chinese or English name (a trailing * is ignored).
-- Returns {keys = {key or "" per column}, unknown = {{column, text}},
-- missing = {{key, zh, en}}, twice = {{column, key}}}.
function M.header(cells)
	local by = {}
	for _, c in ipairs(M.columns()) do
		by[string.lower(c.key)] = c.key
		by[string.lower(c.zh)] = c.key
		by[string.lower(c.en)] = c.key
	end
	local out = { keys = crm.array(), unknown = crm.array(), missing = crm.array(), twice = crm.array() }
	local seen = {}
	for i, text in ipairs(cells) do
		local t = string.lower(trim(string.gsub(trim(text), "%*$", "")))
		local key = by[t]
		if t == "" then
			out.keys[i] = ""
		elseif key == nil then
			out.keys[i] = ""
			out.unknown[#out.unknown + 1] = { column = i, text = text }
		elseif seen[key] then
			out.keys[i] = ""
			out.twice[#out.twice + 1] = { column = i, key = key }
		else
			seen[key] = true
			out.keys[i] = key
		end
	end
	for _, c in ipairs(M.columns()) do
		if c.required and not seen[c.key] then
			out.missing[#out.missing + 1] = { key = c.key, zh = c.zh, en = c.en }
		end
	end
	return out
end

local yes = { ["是"] = true, yes = true, y = true, ["true"] = true, ["1"] = true }
local no = { ["否"] = true, no = true, n = true, ["false"] = true, ["0"] = true }

-- Lookup tables for the choices of each select/tree column: lower-cased code,
-- Chinese and English name -> code.
local function choice_maps(cols)
	local maps = {}
	for _, c in ipairs(cols) do
		if #c.choices > 0 then
			local m = {}
			for _, o in ipairs(c.choices) do
				m[string.lower(o.code)] = o.code
				m[string.lower(o.zh)] = o.code
				m[string.lower(o.en)] = o.code
			end
			maps[c.key] = m
		end
	end
	return maps
end

-- check(keys, rows, ctx): each row (a list of cell texts, in the order of keys)
-- turned into the new-customer form's data and checked by forms.validate.
-- Returns, per row, {data, norm, owner, extra, errors = {{field, zh, en}}}.
function M.check(keys, rows, ctx)
	local cols = M.columns()
	local types, maps = {}, choice_maps(cols)
	for _, c in ipairs(cols) do types[c.key] = c.type end
	local extra_keys = forms.extra_keys()
	-- Shared by the rows without errors / extra fields (never changed).
	local none, none_extra = crm.array(), {}
	local out = crm.array()
	for r, cells in ipairs(rows) do
		local data, owner = {}, nil
		for i, key in ipairs(keys) do
			local v = cells[i]
			if key ~= "" and type(v) == "string" then
				v = trim(v)
				if v ~= "" then
					local t = types[key]
					if t == "owner" then
						owner = v
					elseif maps[key] then
						data[key] = maps[key][string.lower(v)] or v
					elseif t == "number" then
						data[key] = tonumber(v) or v
					elseif t == "bool" then
						local l = string.lower(v)
						if yes[l] then data[key] = true elseif no[l] then data[key] = false else data[key] = v end
					else
						data[key] = v
					end
				end
			end
		end
		local errors = forms.validate("customer_new", data, ctx)
		local res = { data = data, owner = owner, errors = errors and crm.array(errors) or none }
		if type(data.name) == "string" and errors == nil then
			res.norm = customer.normalize(data.name)
			if res.norm == "" then
				res.errors = crm.array({ { field = "name", zh = "客户名称无效。", en = "The customer name is not valid." } })
			end
		end
		local extra = none_extra
		for _, k in ipairs(extra_keys) do
			if data[k] ~= nil then
				if extra == none_extra then extra = {} end
				extra[k] = data[k]
			end
		end
		res.extra = extra
		out[r] = res
	end
	return out
end

-- check_rows(keys, ctx, rows): check(keys, rows, ctx) as the pre-check calls it
-- (h_import.c passes the rows last, as Lua tables made straight from the cells).
function M.check_rows(keys, ctx, rows)
	return M.check(keys, rows, ctx)
end

-- numbers(date, first, count): count customer numbers from the running number
-- first on, by the pattern of rules/numbering.lua (the same as one new customer).
function M.numbers(date, first, count)
	local out = crm.array()
	for i = 0, count - 1 do
		out[i + 1] = numbering.customer_number({ date = date, seq = first + i, kind = "customer" })
	end
	return out
end

return M
