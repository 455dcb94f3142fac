// Approvals (WF-CHANGE, WF-APPROVAL, PLT-NOTIFY): a salesperson's info change
// waits for the head of their department, shows in that head's to-do list
// only, cannot be decided by anyone else, and is applied on approval with
// the change history (before/after); reject, return and withdraw change
// nothing; a manager's own change is applied at once; the applicant gets a
// result notification; and the route follows rules/routing.lua, changing
// when the file changes (no restart).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs'
import path from 'node:path'

import {
  api, submit, decide, withdraw, getDoc, newCustomer, customerData, detail, timeline, total, inView,
  open, closeAll, sqlInt, sqlOne, lit, tag, RULES
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

const todoIds = async (s) => {
  const r = await api('GET', '/api/v1/todos', { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json.items.map((x) => x.id)
}
const notifications = async (s) => {
  const r = await api('GET', '/api/v1/notifications', { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json
}
const change = (s, customerId, fields, reason = '客户信息有误，申请更正') =>
  submit(s, 'customer_change', { customer_id: customerId, reason, ...fields })

// A customer of sales1's own, made for one test.
async function ownCustomer(s) {
  return newCustomer(s, `审批测试${tag()}有限公司`, { address: '原地址 1 号', phone: '13700000001' })
}

test('a salesperson\'s info change goes to their department head, is decided there only, and applies with before/after', async () => {
  const s1 = await open('sales1')
  const m1 = await open('manager1')
  const m2 = await open('manager2')
  const c = await ownCustomer(s1)

  const r = await change(s1, c.id, { address: '新地址 88 号', phone: '13700000002' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, false)
  const doc = r.json.document
  assert.equal(doc.status, 'submitted')
  assert.equal(doc.steps.length, 1, JSON.stringify(doc.steps))
  assert.equal(doc.steps[0].approver.id, m1.user.id, 'the head of 销售一部 decides')
  assert.equal(doc.steps[0].rule, 'dept_manager')
  assert.equal(doc.steps[0].status, 'pending')
  assert.equal((await detail(s1, c.id)).json.customer.address, '原地址 1 号', 'nothing changes before approval')

  // The to-do list of manager1 only.
  assert.ok((await todoIds(m1)).includes(doc.id), 'in manager1\'s to-dos')
  assert.ok(!(await todoIds(m2)).includes(doc.id), 'not in manager2\'s to-dos')
  assert.ok(!(await todoIds(s1)).includes(doc.id), 'not in the applicant\'s to-dos')
  const n1 = await notifications(m1)
  assert.ok(n1.items.some((n) => n.kind === 'todo' && n.document_id === doc.id), 'manager1 is told about the to-do')
  assert.ok(n1.unread >= 1)

  // Nobody else may decide it: 403, and it stays pending.
  const other = await decide(m2, doc.id, 'approve')
  assert.equal(other.status, 403, other.text)
  assert.equal(errorOf(other).code, 'forbidden')
  const self = await decide(s1, doc.id, 'approve')
  assert.equal(self.status, 403, self.text)
  assert.equal((await getDoc(s1, doc.id)).json.document.status, 'submitted')

  // manager1 approves: applied in the same step.
  const ok = await decide(m1, doc.id, 'approve', '同意')
  assert.equal(ok.status, 200, ok.text)
  assert.equal(ok.json.applied, true)
  assert.equal(ok.json.document.status, 'approved')
  assert.equal(ok.json.document.steps[0].status, 'approved')
  assert.equal(ok.json.document.steps[0].comment, '同意')
  const cust = (await detail(s1, c.id)).json.customer
  assert.equal(cust.address, '新地址 88 号')
  assert.equal(cust.phone, '13700000002')

  // The change history: field, before, after, through which document.
  const tl = await timeline(s1, c.id)
  assert.equal(tl.status, 200, tl.text)
  const changes = tl.json.items.filter((x) => x.type === 'change' && x.document_id === doc.id)
  const byField = Object.fromEntries(changes.map((x) => [x.field, x]))
  assert.deepEqual(Object.keys(byField).sort(), ['address', 'phone'], JSON.stringify(changes))
  assert.equal(byField.address.before, '原地址 1 号')
  assert.equal(byField.address.after, '新地址 88 号')
  assert.equal(byField.phone.before, '13700000001')
  assert.equal(byField.phone.after, '13700000002')
  assert.ok(byField.address.at && byField.address.who, 'when and who are kept')
  assert.ok(tl.json.items.some((x) => x.type === 'document' && x.document_id === doc.id && x.kind === 'customer_change'))

  assert.ok(!(await todoIds(m1)).includes(doc.id), 'gone from the to-dos once decided')
  const n = await notifications(s1)
  const res = n.items.find((x) => x.kind === 'result' && x.document_id === doc.id)
  assert.ok(res, `a result notification for the applicant: ${JSON.stringify(n.items.slice(0, 3))}`)
  assert.equal(res.detail.status, 'approved')
  assert.ok(n.unread >= 1)

  // Decided once: a second decision is a conflict.
  const again = await decide(m1, doc.id, 'reject', '再驳回')
  assert.equal(again.status, 409, again.text)
  assert.equal((await detail(s1, c.id)).json.customer.address, '新地址 88 号')
})

test('reject and return need a comment, set the status, change nothing and tell the applicant', async () => {
  const s1 = await open('sales1')
  const m1 = await open('manager1')
  const c = await ownCustomer(s1)

  const a = await change(s1, c.id, { address: '驳回后不应出现的地址' })
  assert.equal(a.status, 201, a.text)
  const noComment = await decide(m1, a.json.document.id, 'reject')
  assert.equal(noComment.status, 400, noComment.text)
  assert.equal(errorOf(noComment).field, 'comment')
  const blank = await decide(m1, a.json.document.id, 'return', '')
  assert.equal(blank.status, 400, blank.text)
  assert.equal((await getDoc(s1, a.json.document.id)).json.document.status, 'submitted')

  const rej = await decide(m1, a.json.document.id, 'reject', '地址不对')
  assert.equal(rej.status, 200, rej.text)
  assert.equal(rej.json.applied, false)
  assert.equal(rej.json.document.status, 'rejected')
  assert.equal(rej.json.document.steps[0].status, 'rejected')
  assert.equal(rej.json.document.steps[0].comment, '地址不对')

  const b = await change(s1, c.id, { contact: '退回后不应出现的联系人' })
  assert.equal(b.status, 201, b.text)
  const ret = await decide(m1, b.json.document.id, 'return', '请补充说明')
  assert.equal(ret.status, 200, ret.text)
  assert.equal(ret.json.document.status, 'returned')

  const cust = (await detail(s1, c.id)).json.customer
  assert.equal(cust.address, '原地址 1 号')
  assert.equal(cust.contact, '测试联系人')
  const tl = await timeline(s1, c.id)
  assert.equal(tl.json.items.filter((x) => x.type === 'change' && x.field !== 'owner').length, 0, JSON.stringify(tl.json.items))
  assert.equal(await sqlInt(`select count(*) from change_log where customer_id = ${c.id}`), 0, 'no change history')

  const n = await notifications(s1)
  const rn = n.items.find((x) => x.kind === 'result' && x.document_id === a.json.document.id)
  assert.ok(rn, 'told about the rejection')
  assert.equal(rn.detail.status, 'rejected')
  assert.equal(rn.detail.comment, '地址不对')
  const tn = n.items.find((x) => x.kind === 'result' && x.document_id === b.json.document.id)
  assert.ok(tn, 'told about the return')
  assert.equal(tn.detail.status, 'returned')
  assert.ok(!(await todoIds(m1)).includes(a.json.document.id))
  assert.ok(!(await todoIds(m1)).includes(b.json.document.id))
})

test('the applicant withdraws a pending change: withdrawn, off the to-do list, cannot be decided', async () => {
  const s1 = await open('sales1')
  const s2 = await open('sales2')
  const m1 = await open('manager1')
  const c = await ownCustomer(s1)
  const r = await change(s1, c.id, { address: '撤回后不应出现的地址' })
  assert.equal(r.status, 201, r.text)
  const id = r.json.document.id
  assert.ok((await todoIds(m1)).includes(id))

  const notMine = await withdraw(s2, id)
  assert.equal(notMine.status, 404, notMine.text)
  const missingKey = await withdraw(s1, id, { key: null })
  assert.equal(missingKey.status, 400, missingKey.text)
  assert.equal(errorOf(missingKey).code, 'idempotency_key')

  const w = await withdraw(s1, id)
  assert.equal(w.status, 200, w.text)
  assert.equal(w.json.document.status, 'withdrawn')
  assert.equal(w.json.document.steps[0].status, 'cancelled')
  assert.ok(!(await todoIds(m1)).includes(id), 'off manager1\'s to-do list')

  const late = await decide(m1, id, 'approve')
  assert.equal(late.status, 409, late.text)
  const twice = await withdraw(s1, id)
  assert.equal(twice.status, 409, twice.text)
  assert.equal((await detail(s1, c.id)).json.customer.address, '原地址 1 号')
  assert.equal((await getDoc(s1, id)).json.document.status, 'withdrawn')
})

test('a manager\'s info change is applied at once; outside their department it is refused', async () => {
  const m1 = await open('manager1')
  const m2 = await open('manager2')
  const s1 = await open('sales1')
  const own = await newCustomer(m1, `经理变更${tag()}有限公司`, { address: '经理原地址' })
  const r = await change(m1, own.id, { address: '经理新地址', stage: 'needs' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, true)
  assert.equal(r.json.document.status, 'approved')
  assert.deepEqual(r.json.document.steps, [])
  const cust = (await detail(m1, own.id)).json.customer
  assert.equal(cust.address, '经理新地址')
  assert.equal(cust.stage, 'needs')
  const tl = (await timeline(m1, own.id)).json.items
  const addr = tl.find((x) => x.type === 'change' && x.field === 'address')
  assert.equal(addr.before, '经理原地址')
  assert.equal(addr.after, '经理新地址')

  // A customer of sales1 (manager1's department): manager1 changes it at once.
  const sc = await ownCustomer(s1)
  const r2 = await change(m1, sc.id, { status: 'interested' })
  assert.equal(r2.status, 201, r2.text)
  assert.equal(r2.json.applied, true)
  assert.equal((await detail(s1, sc.id)).json.customer.status, 'interested')
  // manager2 is not over sales1: refused, nothing changes.
  const r3 = await change(m2, sc.id, { status: 'lost' })
  assert.equal(r3.status, 403, r3.text)
  assert.equal((await detail(s1, sc.id)).json.customer.status, 'interested')
})

test('an info change empties an optional field: stored as none, the history keeps what it was; an emptied name is refused', async () => {
  const m1 = await open('manager1')
  const own = await newCustomer(m1, `清空字段${tag()}有限公司`, { stage: 'needs' })
  const bad = await change(m1, own.id, { stage: '', name: '' })
  assert.equal(bad.status, 422, bad.text)
  assert.equal(errorOf(bad).field, 'name')
  assert.match(errorOf(bad).message, /客户名称不能为空/)
  const r = await change(m1, own.id, { stage: '' })
  assert.equal(r.status, 201, r.text)
  const cust = (await detail(m1, own.id)).json.customer
  assert.equal(cust.stage, null)
  assert.match(cust.name, /^清空字段/)
  const tl = (await timeline(m1, own.id)).json.items
  const st = tl.find((x) => x.type === 'change' && x.field === 'stage')
  assert.equal(st.before, 'needs')
  assert.equal(st.after, null)
})

test('share scope through an info change: approved, the colleague sees it, the history keeps before/after', async () => {
  const s1 = await open('sales1')
  const s3 = await open('sales3')
  const m1 = await open('manager1')
  const c = await ownCustomer(s1)
  assert.equal((await detail(s3, c.id)).status, 404, 'not shared yet')
  const r = await change(s1, c.id, { share_with: [s3.user.id] }, '与同事共同跟进')
  assert.equal(r.status, 201, r.text)
  const ok = await decide(m1, r.json.document.id, 'approve')
  assert.equal(ok.status, 200, ok.text)
  const d = await detail(s3, c.id)
  assert.equal(d.status, 200, 'shared: sales3 may open it')
  assert.deepEqual(d.json.customer.shared_with.map((x) => x.id), [s3.user.id])
  assert.equal((await inView(s3, 'shared_with_me', c.number)).found, true)
  assert.equal((await inView(s1, 'shared_by_me', c.number)).found, true)
  const h = (await timeline(s1, c.id)).json.items.find((x) => x.type === 'change' && x.field === 'share_with')
  assert.ok(h, 'share scope change in the history')
  assert.equal(h.before, '[]')
  assert.equal(h.after, `[${s3.user.id}]`)
})

test('an info change of a customer shared across departments can be decided by the approver it was routed to', async () => {
  // sales4 (销售二部) shares a customer with sales2 (销售一部); sales2 asks for
  // a change, which routing sends to sales2's department head.
  const s4 = await open('sales4')
  const s2 = await open('sales2')
  const c = await newCustomer(s4, `跨部门共享${tag()}有限公司`, { share_with: [s2.user.id], address: '共享原地址' })
  const r = await change(s2, c.id, { address: '共享新地址' })
  assert.equal(r.status, 201, r.text)
  const step = r.json.document.steps[0]
  assert.ok(step && step.status === 'pending', JSON.stringify(r.json.document))
  const approverLogin = await sqlOne(`select login from staff where id = ${step.approver.id}`)
  const approver = await open(approverLogin)
  assert.ok((await todoIds(approver)).includes(r.json.document.id), `in ${approverLogin}'s to-dos`)
  // The approver can open the customer the decision is about.
  assert.equal((await detail(approver, c.id)).status, 200, 'the approver sees the customer')
  const ok = await decide(approver, r.json.document.id, 'approve')
  assert.equal(ok.status, 200, `the approver the route named (${approverLogin}) must be able to approve: ${ok.status} ${ok.text}`)
  assert.equal((await detail(s4, c.id)).json.customer.address, '共享新地址')
})

// ------------------------------------------------------------ routing rules

const ROUTING = path.join(RULES, 'routing.lua')
const NEW_RULE = /function M\.customer_new\(doc, ctx\) return \{\} end/

// Replace the rule file in one step (rename), so a worker never reads half a file.
function putRules(text) {
  const tmp = path.join(RULES, `.routing.lua.archtest-${process.pid}`)
  writeFileSync(tmp, text)
  renameSync(tmp, ROUTING)
}

test('approval routes follow rules/routing.lua and change when the file changes', async () => {
  assert.ok(existsSync(ROUTING), `no ${ROUTING}: set CRM_RULES_DIR to the stack's rules folder`)
  const original = readFileSync(ROUTING, 'utf8')
  assert.match(original, NEW_RULE, 'routing.lua no longer has the shipped customer_new rule')
  const s4 = await open('sales4')
  const dir = await open('director')
  const before = await total(s4, 'mine')
  const name = `路由规则${tag()}有限公司`
  try {
    putRules(original.replace(NEW_RULE, 'function M.customer_new(doc, ctx) return { { approver = "role", role = "director" } } end'))
    const r = await submit(s4, 'customer_new', customerData(name))
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.applied, false, 'the edited rule sends new customers for approval')
    const doc = r.json.document
    assert.equal(doc.status, 'submitted')
    assert.equal(doc.steps.length, 1)
    assert.equal(doc.steps[0].rule, 'role:director')
    assert.equal(doc.steps[0].approver.id, dir.user.id)
    assert.equal(await sqlInt(`select count(*) from customers where name = ${lit(name)}`), 0, 'not created before approval')
    assert.equal(await total(s4, 'mine'), before)
    assert.ok((await todoIds(dir)).includes(doc.id), 'in the director\'s to-dos')

    const ok = await decide(dir, doc.id, 'approve', '同意新增')
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json.document.status, 'approved')
    const cid = ok.json.result.id
    const d = await detail(s4, cid)
    assert.equal(d.status, 200, d.text)
    assert.equal(d.json.customer.owner.id, s4.user.id, 'the applicant owns it, not the approver')
    assert.equal(await total(s4, 'mine'), before + 1)
  } finally {
    putRules(original)
  }
  assert.equal(readFileSync(ROUTING, 'utf8'), original, 'routing.lua restored')
  // The restored rule applies to the very next document.
  const r2 = await submit(s4, 'customer_new', customerData(`路由恢复${tag()}有限公司`))
  assert.equal(r2.status, 201, r2.text)
  assert.equal(r2.json.applied, true, 'applied at once again after the file was restored')
  assert.deepEqual(r2.json.document.steps, [])
})

test('a manager changes the owner of a customer in their department; a salesperson cannot', async () => {
  const m1 = await open('manager1')
  const s1 = await open('sales1')
  const s2 = await open('sales2')
  const c = await newCustomer(s1, `换负责人${tag()}有限公司`)
  // The salesperson's form has no owner field, and the server refuses it.
  const f1 = await api('GET', '/api/v1/forms/customer_change', { cookie: s1.cookie })
  assert.ok(!f1.json.form.fields.some((f) => f.key === 'owner_id'))
  const fm = await api('GET', '/api/v1/forms/customer_change', { cookie: m1.cookie })
  assert.ok(fm.json.form.fields.some((f) => f.key === 'owner_id'))
  const bad = await change(s1, c.id, { owner_id: s2.user.id })
  assert.equal(bad.status, 422, bad.text)
  assert.equal(errorOf(bad).field, 'owner_id')
  // The manager's change is applied at once and logged.
  const ok = await change(m1, c.id, { owner_id: s2.user.id })
  assert.equal(ok.status, 201, ok.text)
  assert.equal(ok.json.applied, true)
  const d = await detail(m1, c.id)
  assert.equal(d.json.customer.owner.id, s2.user.id)
  const tl = await timeline(m1, c.id)
  assert.ok(tl.json.items.some((i) => i.type === 'change' && i.field === 'owner' && i.after === s2.user.name))
})
