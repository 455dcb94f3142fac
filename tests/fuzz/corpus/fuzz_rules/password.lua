-- 密码规则 Password policy.
--
-- A new password is accepted when ALL of these hold:
--   1. it has at least 10 characters (a Chinese character counts as one);
--      至少 10 个字符;
--   2. it is not made of digits only (such as a phone number or a date);
--      不能全是数字;
--   3. it is not the same as the login name (upper/lower case does not matter);
--      不能与登录名相同;
--   4. it contains at least one letter (a-z or A-Z) and at least one digit (0-9).
--      必须同时包含字母和数字.
--
-- When a password is refused, the person sees the message below in their language.
-- To make the policy stricter, raise MIN_LENGTH or add a check in check() below;
-- rules/tests/password.lua holds the examples that must keep passing.

local MIN_LENGTH = 10

local messages = {
	empty = {
		zh = "请输入密码。",
		en = "Please enter a password.",
	},
	bad_text = {
		zh = "密码包含无效字符。",
		en = "The password contains invalid characters.",
	},
	too_short = {
		zh = "密码至少需要 " .. MIN_LENGTH .. " 个字符。",
		en = "The password must have at least " .. MIN_LENGTH .. " characters.",
	},
	only_digits = {
		zh = "密码不能全是数字。",
		en = "The password must not be only digits.",
	},
	same_as_login = {
		zh = "密码不能与登录名相同。",
		en = "The password must not be the same as the login name.",
	},
	letters_and_digits = {
		zh = "密码必须同时包含字母和数字。",
		en = "The password must contain both letters and digits.",
	},
}

local M = {}

-- check(pw, ctx): nil when the password is acceptable, otherwise a message
-- {zh = "...", en = "..."} saying what is wrong. ctx.login is the person's login name.
function M.check(pw, ctx)
	if type(pw) ~= "string" or pw == "" then
		return messages.empty
	end
	local length = utf8.len(pw)
	if length == nil then
		return messages.bad_text
	end
	if length < MIN_LENGTH then
		return messages.too_short
	end
	if pw:find("^%d+$") then
		return messages.only_digits
	end
	local login = ctx and ctx.login
	if type(login) == "string" and pw:lower() == login:lower() then
		return messages.same_as_login
	end
	if not pw:find("%a") or not pw:find("%d") then
		return messages.letters_and_digits
	end
	return nil
end

M.MIN_LENGTH = MIN_LENGTH

return M
