-- 客户名称查重 How customer names are compared for duplicates.
--
-- Two names are the same customer when they are equal after:
--   1. removing all spaces (half-width and full-width),
--   2. turning full-width letters, digits and signs into half-width (ＡＢＣ１２３ -> ABC123),
--   3. ignoring upper/lower case,
--   4. removing one of the company-form suffixes below from the end.
-- So "华为技术有限公司", "华为技术 有限公司" and "华为技术" are the same customer.
-- Edit the list to change what counts as the same name. (Names already in the archive keep
-- the folding they were saved with.)

local suffixes = {
	"股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司",
	"co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "ltd.", "ltd", "inc.", "inc",
}

local M = {}

-- The suffixes by their last byte, in the order above: a name is compared only
-- with the suffixes that end as it does.
local by_last = {}
for _, suffix in ipairs(suffixes) do
	local b = string.byte(suffix, -1)
	by_last[b] = by_last[b] or {}
	table.insert(by_last[b], suffix)
end

-- s without one company-form suffix at its end (the first that matches).
local function strip_suffix(s)
	for _, suffix in ipairs(by_last[string.byte(s, -1)] or {}) do
		local n = #suffix
		if #s > n and string.sub(s, -n) == suffix then
			s = string.sub(s, 1, -n - 1)
			break
		end
	end
	return s
end

-- The folded form of a name, as stored in customers.name_norm.
function M.normalize(name)
	-- Most names have nothing to remove or turn half-width: no ASCII space,
	-- and no byte that starts U+3000..U+3FFF (0xE3) or U+F000..U+FFFF (0xEF),
	-- where the full-width space and forms are. Valid UTF-8 such a name folds
	-- to its lower case as is (the loop below would copy it byte for byte).
	if utf8.len(name) and not string.find(name, "[\t\n\r \227\239]") then
		return strip_suffix(string.lower(name))
	end
	local out = {}
	for _, c in utf8.codes(name) do
		if c == 0x3000 or c == 0x20 or c == 0x09 or c == 0x0A or c == 0x0D then
			-- spaces are dropped
		elseif c >= 0xFF01 and c <= 0xFF5E then
			out[#out + 1] = utf8.char(c - 0xFEE0)
		else
			out[#out + 1] = utf8.char(c)
		end
	end
	return strip_suffix(string.lower(table.concat(out)))
end

return M
