-- Examples of the password policy (rules/password.lua). Each line below is a
-- password that must be accepted or refused, with the reason.

local password = crm.require("password")
local check = crm.require("tests/lib/check")

local ctx = { login = "sales1" }

-- A refusal carries a message in both languages.
local function refused(pw, want_en, c)
	local msg = password.check(pw, c or ctx)
	check.is_true(msg, "password " .. check.show(pw) .. " should be refused")
	check.is_true(type(msg.zh) == "string" and msg.zh ~= "", "a Chinese message")
	check.is_true(type(msg.en) == "string" and msg.en ~= "", "an English message")
	check.is_true(msg.en:find(want_en, 1, true), "reason " .. check.show(want_en) ..
	    " expected, got " .. check.show(msg.en))
end

return {
	["accepts the demo password"] = function()
		check.is_nil(password.check("demo-pass-2026", ctx), "demo-pass-2026")
		check.is_nil(password.check("demo-pass-2026", { login = "admin" }), "for admin")
	end,

	["accepts letters and digits of 10 characters or more"] = function()
		check.is_nil(password.check("abcdefghi1", ctx), "exactly 10")
		check.is_nil(password.check("Spring2026Sales", ctx), "mixed case")
	end,

	["counts a Chinese character as one character"] = function()
		check.is_nil(password.check("销售部门密码安全2026a", ctx), "11 characters")
		refused("销售密码1a", "at least 10")	-- 6 characters, 14 bytes
	end,

	["refuses passwords shorter than 10 characters"] = function()
		refused("abc123", "at least 10")
		refused("abcdefgh1", "at least 10")
	end,

	["refuses a password of digits only"] = function()
		refused("13812345678", "only digits")
		refused("20261127000", "only digits")
	end,

	["refuses the login name as password, in any case"] = function()
		refused("Sales12345", "login", { login = "sales12345" })
		refused("sales12345", "login", { login = "SALES12345" })
	end,

	["needs both letters and digits"] = function()
		refused("abcdefghijk", "letters and digits")
		refused("!!!!----2026", "letters and digits")
		refused("密码密码密码密码密码密码", "letters and digits")
	end,

	["refuses empty, missing and broken input"] = function()
		refused("", "enter a password")
		refused(nil, "enter a password")
		refused("abc\255\254defgh123", "invalid characters")
	end,

	["works without a login"] = function()
		check.is_nil(password.check("demo-pass-2026", nil), "no ctx")
		check.is_nil(password.check("demo-pass-2026", {}), "empty ctx")
	end,
}
