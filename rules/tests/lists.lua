-- Checks of the configurable lists (rules/lists.lua): every entry has a usable
-- code and both names, and no code is used twice.

local lists = crm.require("lists")
local check = crm.require("tests/lib/check")

local function has_chinese(s)
	return s:find("[\228-\233][\128-\191][\128-\191]") ~= nil
end

local function check_item(it, where)
	check.is_true(type(it) == "table", where .. " is an entry")
	check.is_true(type(it.code) == "string" and it.code:find("^[a-z][a-z0-9_]*$"),
	    where .. ": code " .. check.show(it.code) .. " uses a-z, 0-9 and _")
	check.is_true(type(it.zh) == "string" and has_chinese(it.zh),
	    where .. ": zh " .. check.show(it.zh) .. " is a Chinese name")
	check.is_true(type(it.en) == "string" and it.en ~= "" and not it.en:find("[\128-\255]"),
	    where .. ": en " .. check.show(it.en) .. " is an English name")
end

local function check_flat(name, min)
	local list = lists[name]
	check.is_true(type(list) == "table" and #list >= min, name .. " has at least " .. min .. " entries")
	local seen = {}
	for i, it in ipairs(list) do
		check_item(it, name .. "[" .. i .. "]")
		check.is_true(not seen[it.code], name .. ": code " .. it.code .. " used twice")
		seen[it.code] = true
		check.is_nil(it.children, name .. "[" .. i .. "].children")
	end
end

return {
	["regions"] = function() check_flat("regions", 2) end,
	["sources"] = function() check_flat("sources", 2) end,
	["stages"] = function() check_flat("stages", 2) end,
	["statuses"] = function() check_flat("statuses", 2) end,

	["customer types form a tree with unique codes"] = function()
		local seen, deepest = {}, 0
		local function walk(nodes, where, depth)
			check.is_true(type(nodes) == "table" and #nodes > 0, where .. " has entries")
			if depth > deepest then deepest = depth end
			check.is_true(depth <= 3, where .. ": at most 3 levels")
			for i, it in ipairs(nodes) do
				local w = where .. "[" .. i .. "]"
				check_item(it, w)
				check.is_true(not seen[it.code], "customer type code " .. it.code .. " used twice")
				seen[it.code] = true
				if it.children ~= nil then
					walk(it.children, w .. ".children", depth + 1)
				end
			end
		end
		walk(lists.customer_types, "customer_types", 1)
		check.is_true(deepest >= 2, "the tree has a second level")
	end,

	["only known lists"] = function()
		local known = { regions = true, sources = true, stages = true, statuses = true,
		    customer_types = true }
		for k in pairs(lists) do
			check.is_true(known[k], "unexpected list " .. tostring(k))
		end
	end,
}
