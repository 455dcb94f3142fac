-- 审批路由 Approval routing: who approves each kind of document, in order.
--
-- A rule returns a list of steps; each step names one approver:
--   { approver = "dept_manager" }              the head of the applicant's department
--                                              (for a head: the head of the department above)
--   { approver = "role", role = "director" }   the first active person with that role
--   { approver = "person", login = "manager1" } that person
-- An empty list means the document needs no approval: it is applied at once.
-- doc is the document's data; ctx.applicant has id, role and department.

local M = {}

-- New customers and claims from the pool are applied at once.
function M.customer_new(doc, ctx) return {} end
function M.customer_claim(doc, ctx) return {} end

-- Transfers are applied at once; the receiver's maximum is checked when applied.
function M.transfer(doc, ctx) return {} end

-- Info changes (信息变更) need the manager's approval when a salesperson asks;
-- managers, directors and admins change customer information directly.
function M.customer_change(doc, ctx)
	if ctx.applicant.role == "salesperson" then
		return { { approver = "dept_manager" } }
	end
	return {}
end

-- Imports of historical customers (客户导入): an admin's import applies at once;
-- anyone else's (managers, directors) waits for an admin.
function M.customer_import(doc, ctx)
	if ctx.applicant.role == "admin" then
		return {}
	end
	return { { approver = "role", role = "admin" } }
end

-- Visits, payments and daily reports are recorded at once.
function M.visit(doc, ctx) return {} end
function M.payment(doc, ctx) return {} end
function M.daily_report(doc, ctx) return {} end

-- A deal above the amount in rules/deal.lua needs the manager's approval.
local deal = crm.require("deal")
function M.deal(doc, ctx)
	if tonumber(doc.amount) > deal.approval_above then
		return { { approver = "dept_manager" } }
	end
	return {}
end

-- Targets (指标编审): a salesperson's own targets go to their manager; a
-- manager's targets for the team go to the director; directors and admins
-- set targets directly.
function M.target(doc, ctx)
	local role = ctx.applicant.role
	if role == "salesperson" then
		return { { approver = "dept_manager" } }
	elseif role == "manager" then
		return { { approver = "role", role = "director" } }
	end
	return {}
end

-- Called by the server: the steps for a document of the given kind.
function M.route(kind, doc, ctx)
	local rule = M[kind]
	if rule == nil then
		return {}
	end
	return rule(doc, ctx)
end

return M
