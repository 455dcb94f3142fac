-- Checks of the menu (rules/menu.lua): roles are known, keys, paths and labels
-- are unique, each role sees what it should.

local menu = crm.require("menu")
local check = crm.require("tests/lib/check")

local ROLES = { salesperson = true, manager = true, director = true, admin = true }

local function keys_of(list)
	local keys = {}
	for _, area in ipairs(list) do
		keys[area.key] = true
		for _, item in ipairs(area.children) do
			keys[item.key] = true
		end
	end
	return keys
end

local function count(list)
	local n = 0
	for _, area in ipairs(list) do
		n = n + #area.children
	end
	return n
end

local function subset(roles, of)
	local allowed = {}
	for _, r in ipairs(of) do allowed[r] = true end
	for _, r in ipairs(roles) do
		if not allowed[r] then return false end
	end
	return true
end

return {
	["every entry is complete and its roles are known"] = function()
		for _, area in ipairs(menu.areas) do
			for _, field in ipairs({ "key", "zh", "en", "icon" }) do
				check.is_true(type(area[field]) == "string" and area[field] ~= "",
				    "area " .. tostring(area.key) .. " has " .. field)
			end
			check.is_true(#area.children > 0, area.key .. " has items")
			for _, r in ipairs(area.roles) do
				check.is_true(ROLES[r], area.key .. ": unknown role " .. r)
			end
			for _, item in ipairs(area.children) do
				for _, field in ipairs({ "key", "zh", "en", "path" }) do
					check.is_true(type(item[field]) == "string" and item[field] ~= "",
					    "item " .. tostring(item.key) .. " has " .. field)
				end
				check.is_true(item.path:find("^/[a-z0-9/-]*$"), item.key .. ": path " .. item.path)
				check.is_true(#item.roles > 0, item.key .. " is visible to someone")
				for _, r in ipairs(item.roles) do
					check.is_true(ROLES[r], item.key .. ": unknown role " .. r)
				end
				check.is_true(subset(item.roles, area.roles),
				    item.key .. ": roles that cannot see area " .. area.key)
			end
		end
	end,

	["keys, paths and labels are unique"] = function()
		local seen = { key = {}, path = {}, zh = {}, en = {} }
		local function add(field, v, where)
			check.is_true(not seen[field][v], where .. ": " .. field .. " " .. v .. " used twice")
			seen[field][v] = true
		end
		for _, area in ipairs(menu.areas) do
			for _, f in ipairs({ "key", "zh", "en" }) do add(f, area[f], area.key) end
			for _, item in ipairs(area.children) do
				for _, f in ipairs({ "key", "path", "zh", "en" }) do add(f, item[f], item.key) end
			end
		end
	end,

	["every area of the requirements is in the menu"] = function()
		local keys = keys_of(menu.areas)
		for _, k in ipairs({
			"customers_mine", "customers_shared_by_me", "customers_shared_with_me",
			"customers_pool", "customers_admin", "customers_import",
			"wf_new_customer", "wf_visit", "wf_deal", "wf_payment", "wf_daily_report",
			"wf_transfer", "wf_change", "wf_todos",
			"staff_org", "staff_targets", "staff_progress",
			"reports_portal", "reports_query", "reports_stats", "reports_custom",
			"notifications_inbox", "settings_lists", "settings_rules",
		}) do
			check.is_true(keys[k], "menu item " .. k)
		end
	end,

	["a salesperson sees the daily work, not management or settings"] = function()
		local m = menu.for_role("salesperson")
		local keys = keys_of(m)
		for _, k in ipairs({ "customers_mine", "customers_pool", "wf_visit", "wf_todos",
		    "reports_portal", "notifications_inbox" }) do
			check.is_true(keys[k], "salesperson sees " .. k)
		end
		for _, k in ipairs({ "customers_admin", "customers_import", "staff_org",
		    "reports_custom", "settings", "settings_lists" }) do
			check.is_nil(keys[k], "salesperson sees " .. k)
		end
	end,

	["managers see more than salespeople; only admins see settings"] = function()
		local sales, manager = menu.for_role("salesperson"), menu.for_role("manager")
		local director, admin = menu.for_role("director"), menu.for_role("admin")
		check.is_true(count(manager) > count(sales), "manager sees more")
		check.is_true(keys_of(manager).customers_admin, "manager sees customer management")
		check.is_true(keys_of(director).customers_admin, "director sees customer management")
		check.is_nil(keys_of(manager).settings, "manager sees settings")
		check.is_nil(keys_of(director).settings, "director sees settings")
		check.is_true(keys_of(admin).settings, "admin sees settings")
		check.is_true(keys_of(admin).customers_import, "admin sees the import")
		check.is_true(keys_of(admin).staff_org, "admin sees the organisation")
	end,

	["for_role keeps the order and drops the roles lists"] = function()
		local m = menu.for_role("admin")
		check.equal(#m, #menu.areas, "admin sees every area")
		for i, area in ipairs(m) do
			check.equal(area.key, menu.areas[i].key, "area " .. i)
			check.is_nil(area.roles, area.key .. ".roles")
			for _, item in ipairs(area.children) do
				check.is_nil(item.roles, item.key .. ".roles")
			end
		end
	end,

	["an unknown role sees nothing"] = function()
		check.equal(#menu.for_role("guest"), 0, "guest")
		check.equal(#menu.for_role(nil), 0, "nil")
	end,
}
