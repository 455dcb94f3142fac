-- Tests of rules/import.lua: the template's columns follow the new-customer form,
-- headers and cells may be written as codes or names, and every row is checked by
-- the form's own rule.
local import = crm.require("import")
local check = crm.require("tests/lib/check")

local ctx = { applicant = { id = 1, role = "admin", login = "admin", department = 0 } }

local function keys_of(cols)
	local out = {}
	for i, c in ipairs(cols) do out[i] = c.key end
	return out
end

local function header_keys(cells)
	return import.header(cells).keys
end

return {
	["the template has the form's importable fields, the custom field and the owner"] = function()
		local keys = table.concat(keys_of(import.columns()), ",")
		check.equal(keys, "name,address,contact,phone,region,type,source,stage,status,lat,lng,website,owner")
	end,
	["choices are listed, subtypes included"] = function()
		for _, c in ipairs(import.columns()) do
			if c.key == "type" then
				local codes = {}
				for _, o in ipairs(c.choices) do codes[o.code] = o.depth end
				check.equal(codes.enterprise, 0)
				check.equal(codes.enterprise_small, 2)
			end
		end
	end,
	["headers may be keys, Chinese or English names, with a * for required"] = function()
		local h = import.header({ "客户名称*", "Address", "contact", "联系电话", "区域", "Customer type", "客户来源", "备注", "区域" })
		check.equal(h.keys[1], "name")
		check.equal(h.keys[2], "address")
		check.equal(h.keys[6], "type")
		check.equal(h.keys[8], "")
		check.equal(#h.unknown, 1)
		check.equal(h.unknown[1].column, 8)
		check.equal(#h.twice, 1)
		check.equal(#h.missing, 0)
		check.equal(#import.header({ "客户名称" }).missing, 6)
		check.equal(header_keys({ "name" })[1], "name")
	end,
	["cells may name a choice by code, Chinese or English name; a good row passes the form"] = function()
		local keys = { "name", "address", "contact", "phone", "region", "type", "source", "lat", "owner" }
		local r = import.check(keys, {
			{ " 华为技术有限公司 ", "深圳", "任先生", "0755-28780808", "South China", "大型企业", "referral", "22.5", "sales1" },
		}, ctx)[1]
		check.equal(#r.errors, 0)
		check.equal(r.data.region, "sc")
		check.equal(r.data.type, "enterprise_large")
		check.equal(r.data.source, "referral")
		check.equal(r.data.lat, 22.5)
		check.equal(r.data.name, "华为技术有限公司")
		check.equal(r.norm, "华为技术")
		check.equal(r.owner, "sales1")
		check.is_nil(r.data.owner)
	end,
	["a bad row gets the form's own messages"] = function()
		local r = import.check({ "name", "phone", "region" }, { { "", "abc", "火星" } }, ctx)[1]
		local fields = {}
		for _, e in ipairs(r.errors) do fields[e.field] = e.zh end
		check.equal(fields.name, "客户名称为必填项。")
		check.is_true(fields.phone ~= nil, "the phone is checked")
		check.equal(fields.region, "区域不在可选范围内。")
	end,
	["numbers follow the customer pattern"] = function()
		local n = import.numbers("2026-11-27", 9999, 2)
		check.equal(n[1], "C20261127-9999")
		check.equal(n[2], "C20261127-10000")
	end,
}
