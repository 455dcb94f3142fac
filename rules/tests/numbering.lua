-- Examples of the numbering patterns (rules/numbering.lua).

local numbering = crm.require("numbering")
local check = crm.require("tests/lib/check")

local day = { date = "2026-11-27", seq = 42, region = "BJ", kind = "customer" }

return {
	["the 42nd customer of 27 November 2026 is C20261127-0042"] = function()
		check.equal(numbering.customer_number(day), "C20261127-0042")
	end,

	["a running number wider than the pattern keeps all its digits"] = function()
		check.equal(numbering.customer_number({ date = "2026-01-05", seq = 12345 }),
		    "C20260105-12345")
		check.equal(numbering.customer_number({ date = "2026-01-05", seq = 1 }),
		    "C20260105-0001")
	end,

	["documents are numbered too"] = function()
		check.equal(numbering.document_number({ date = "2026-11-27", seq = 7, kind = "document" }),
		    "D20261127-00007")
	end,

	["every placeholder"] = function()
		check.equal(numbering.expand("{kind}/{region}/{yy}{mm}{dd}/{seq}/{seq:3}/{yyyy}", day),
		    "customer/BJ/261127/42/042/2026")
		check.equal(numbering.expand("no placeholders", day), "no placeholders")
		check.equal(numbering.expand("100% {seq}", day), "100% 42")
	end,

	["mistakes in a pattern are reported"] = function()
		check.fails(function() numbering.expand("C{yyyymm}", day) end, "unknown placeholder {yyyymm}")
		check.fails(function() numbering.expand("C{mm:2}", day) end, "only {seq} takes a width")
		check.fails(function() numbering.expand("C{seq:99}", day) end, "width must be 1 to 18")
		check.fails(function() numbering.expand("C{region}", { date = "2026-11-27", seq = 1 }) end,
		    "ctx.region is missing")
	end,

	["bad input is refused, not numbered"] = function()
		check.fails(function() numbering.customer_number({ date = "27.11.2026", seq = 1 }) end, "bad date")
		check.fails(function() numbering.customer_number({ date = "2026-13-01", seq = 1 }) end, "bad date")
		check.fails(function() numbering.customer_number({ seq = 1 }) end, "ctx.date is missing")
		check.fails(function() numbering.customer_number({ date = "2026-11-27", seq = 0 }) end, "ctx.seq")
		check.fails(function() numbering.customer_number({ date = "2026-11-27", seq = 1.5 }) end, "ctx.seq")
	end,

	["the configured patterns give unique numbers: full date and {seq}"] = function()
		for _, p in ipairs({ numbering.CUSTOMER_PATTERN, numbering.DOCUMENT_PATTERN }) do
			check.is_true(p:find("{yyyy}", 1, true) or p:find("{yy}", 1, true), p .. " has the year")
			check.is_true(p:find("{mm}", 1, true), p .. " has the month")
			check.is_true(p:find("{dd}", 1, true), p .. " has the day")
			check.is_true(p:find("{seq", 1, true), p .. " has {seq}")
		end
		check.is_true(numbering.CUSTOMER_PATTERN ~= numbering.DOCUMENT_PATTERN,
		    "customers and documents are told apart")
	end,
}
