-- 编号规则 Numbering patterns.
--
-- Every new customer and every document gets a number made from a pattern.
-- Change the patterns below to change how new numbers look (numbers already
-- given out never change). 修改下面的模式即可改变新编号的格式。
--
-- A pattern is plain text with placeholders in braces:
--   {yyyy}    the year, 4 digits              年 (2026)
--   {yy}      the year, last 2 digits         年 (26)
--   {mm}      the month, 2 digits             月 (11)
--   {dd}      the day, 2 digits               日 (27)
--   {seq}     the day's running number        当日流水号 (42)
--   {seq:4}   the same, padded with zeros to 4 digits (0042); a larger number
--             simply gets more digits (12345)
--   {region}  the customer's region code      区域代码 (NC)
--   {kind}    the kind of number asked for    类别 (customer, document)
-- Anything else is copied as it is. Example: "C{yyyy}{mm}{dd}-{seq:4}" on
-- 27 November 2026, 42nd customer of the day, gives "C20261127-0042".
--
-- The running number restarts at 1 every day, so a pattern should contain
-- the full date and {seq}, or numbers would repeat.

local CUSTOMER_PATTERN = "C{yyyy}{mm}{dd}-{seq:4}"
local DOCUMENT_PATTERN = "D{yyyy}{mm}{dd}-{seq:5}"

local M = {}

M.CUSTOMER_PATTERN = CUSTOMER_PATTERN
M.DOCUMENT_PATTERN = DOCUMENT_PATTERN

-- "2026-11-27" -> "2026", "11", "27"; an error for anything else.
local function split_date(date)
	if type(date) ~= "string" then
		error("numbering: ctx.date is missing (expected YYYY-MM-DD)", 0)
	end
	local y, m, d = date:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
	if not y then
		error("numbering: bad date '" .. date .. "' (expected YYYY-MM-DD)", 0)
	end
	local mi, di = tonumber(m), tonumber(d)
	if mi < 1 or mi > 12 or di < 1 or di > 31 then
		error("numbering: bad date '" .. date .. "'", 0)
	end
	return y, m, d
end

local function check_seq(seq)
	if math.type(seq) ~= "integer" or seq < 1 then
		error("numbering: ctx.seq must be a whole number of at least 1", 0)
	end
	return seq
end

-- The pattern as a string.format format: every placeholder but {seq}
-- filled in, each {seq} a %d (%04d for {seq:4}); and how many {seq} it has.
local function compile(pattern, ctx)
	local y, m, d = split_date(ctx.date)
	local values = {
		yyyy = y, yy = y:sub(3, 4), mm = m, dd = d,
		region = ctx.region, kind = ctx.kind,
	}
	local parts, pos, nseq = {}, 1, 0
	for at, name, width, after in pattern:gmatch("(){([%w_]*):?(%d*)}()") do
		parts[#parts + 1] = pattern:sub(pos, at - 1):gsub("%%", "%%%%")
		pos = after
		if name == "seq" then
			local fmt = "%d"
			if width ~= "" then
				local w = tonumber(width)
				if w < 1 or w > 18 then
					error("numbering: {seq:" .. width .. "}: the width must be 1 to 18", 0)
				end
				fmt = "%0" .. w .. "d"
			end
			parts[#parts + 1] = fmt
			nseq = nseq + 1
		else
			if width ~= "" then
				error("numbering: only {seq} takes a width, not {" .. name .. "}", 0)
			end
			local v = values[name]
			if v == nil then
				if name == "region" or name == "kind" then
					error("numbering: the pattern uses {" .. name .. "} but ctx." ..
					    name .. " is missing", 0)
				end
				error("numbering: unknown placeholder {" .. name .. "}", 0)
			end
			parts[#parts + 1] = tostring(v):gsub("%%", "%%%%")
		end
	end
	parts[#parts + 1] = pattern:sub(pos):gsub("%%", "%%%%")
	return { date = ctx.date, region = ctx.region, kind = ctx.kind,
	    format = table.concat(parts), nseq = nseq }
end

-- The last compilation of each pattern (an import numbers 100,000
-- customers of one day in one go).
local compiled = {}

-- expand(pattern, ctx): the number the pattern gives for ctx = {date = "YYYY-MM-DD",
-- seq = n, region = "NC", kind = "customer"}. An unknown placeholder is an error,
-- so a typing mistake in a pattern is found by `crmctl rules check`.
function M.expand(pattern, ctx)
	local c = compiled[pattern]
	if c == nil or c.date ~= ctx.date or c.region ~= ctx.region or c.kind ~= ctx.kind then
		c = compile(pattern, ctx)
		compiled[pattern] = c
	end
	if c.nseq == 0 then
		return string.format(c.format)
	end
	local seq = check_seq(ctx.seq)
	if c.nseq == 1 then
		return string.format(c.format, seq)
	end
	local args = {}
	for i = 1, c.nseq do
		args[i] = seq
	end
	return string.format(c.format, table.unpack(args))
end

-- The number of a new customer (新客户编号).
function M.customer_number(ctx)
	return M.expand(CUSTOMER_PATTERN, ctx)
end

-- The number of a new document (单据编号).
function M.document_number(ctx)
	return M.expand(DOCUMENT_PATTERN, ctx)
end

return M
