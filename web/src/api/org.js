// Staff and targets (docs/api.md "Staff and targets"): the department tree, staff
// records and batch authorization (admin), targets, progress and the records behind
// a figure. Targets themselves are written as documents of kind "target" (documents.js).
import { get, post, put } from './request'
import { toQueryString } from './customers'

const id = (n) => encodeURIComponent(n)

// departments() -> {items: [{id, parent_id, name, manager_id, manager, staff_count}]}
export const departments = (options) => get('/departments', options)

// Admin: createDepartment({name, parent_id}) -> {id};
// updateDepartment(id, {name?, parent_id?, manager_id?}) -> null (204); a move under
// itself or one of its own departments answers 422 with the server's message.
export const createDepartment = (body, options) => post('/departments', body, options)
export const updateDepartment = (deptId, body, options) => put(`/departments/${id(deptId)}`, body, options)

// getStaff(id) -> {staff: {id, login, name, department_id, department, role, position,
// mobile, gender, max_customers, active, photo, customers}} (admin, in scope, or oneself)
export const getStaff = (staffId, options) => get(`/staff/${id(staffId)}`, options)

// Admin: createStaff({login, name, department_id, role, password, position, mobile,
// gender, max_customers, photo}) -> {id}; updateStaff(id, {...same, active}) -> null.
export const createStaff = (body, options) => post('/staff', body, options)
export const updateStaff = (staffId, body, options) => put(`/staff/${id(staffId)}`, body, options)

// Admin: assignRole(role, staffIds) -> {changed}: batch authorization in one transaction.
export const assignRole = (role, staffIds, options) =>
  post('/roles/assign', { role, staff_ids: staffIds }, options)

// targetsOf(staffId) -> {items: [{id, period, start_date, end_date, new_customers,
// visits, deal_amount, payment_amount, document_id}]}, newest period first.
export const targetsOf = (staffId, options) => get(`/targets${toQueryString({ staff_id: staffId })}`, options)

// progress({date, dept}) -> {people: [{id, name, role, department_id, department,
// target: {period, start_date, end_date, new_customers, visits, deal_amount,
// payment_amount, document_id} | null, actual: {new_customers, visits, deal_amount,
// payment_amount}}]}: without a target the actuals cover the date's calendar month.
export const progress = (params, options) => get(`/targets/progress${toQueryString(params)}`, options)

// records({staff_id, kind, from, to}) -> {items: [{id, number, kind, applied_at,
// customer_id, customer_name, data}]}; kind: customer_new | customer_claim | visit |
// deal | payment.
export const records = (params, options) => get(`/records${toQueryString(params)}`, options)
