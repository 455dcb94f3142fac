-- 成交与回款 Deals and payments.
--
--   * A deal sets the customer's status to "成交" (deal).
--   * A deal above 100,000 yuan needs the approval of the salesperson's manager
--     (see rules/routing.lua, which reads approval_above).

local M = {}

M.status_after_deal = "deal"
M.approval_above = 100000

return M
