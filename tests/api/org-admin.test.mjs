// The org as the admin keeps it (ORG-STAFF, PLT-AUTH, PLT-MENU): the
// department tree (create, rename, move, never under itself or its own
// child), staff records (create with a password policy, update, maximum
// customers), disabling a person (their sessions end at once), batch
// authorization (a role, and so its menu and rights, for many people at once,
// effective at their next request without logging in again), admin-only
// endpoints refused to everyone else with nothing changed, and menu names from
// rules/menu.lua changing without a restart.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs'
import path from 'node:path'

import { api, errorOf, login, uniqueLogin, waitFor, PASSWORD } from './lib.mjs'
import { open, closeAll, sqlInt, sqlOne, lit, tag, newCustomer, poolIds, submit, RULES, PG_PORT } from './archive-lib.mjs'
import { departments, createStaff, putStaff, menuKeys, progress, records } from './org-lib.mjs'

after(closeAll)

let admin, director, m1, m2, s1
let root // 总部

before(async () => {
  ;[admin, director, m1, m2, s1] = await Promise.all(['admin', 'director', 'manager1', 'manager2', 'sales1'].map((n) => open(n)))
  root = director.user.department.id
})

const newDept = (s, name, parentId) => api('POST', '/api/v1/departments', { cookie: s.cookie, csrf: s.csrf, body: { name, parent_id: parentId } })
const putDept = (s, id, body) => api('PUT', `/api/v1/departments/${id}`, { cookie: s.cookie, csrf: s.csrf, body })
async function deptById(id) {
  const d = (await departments(admin)).find((x) => x.id === id)
  assert.ok(d, `department ${id} listed`)
  return d
}
async function mkDept(name, parentId) {
  const r = await newDept(admin, name, parentId)
  assert.equal(r.status, 201, r.text)
  return r.json.id
}
const me = async (s) => api('GET', '/api/v1/me', { cookie: s.cookie })

test('admin builds the tree: create, rename, move; never under itself or its own child', async () => {
  const t = tag(6)
  const a = await mkDept(`测试部A${t}`, root)
  let d = await deptById(a)
  assert.equal(d.parent_id, root)
  assert.equal(d.name, `测试部A${t}`)
  assert.equal(d.staff_count, 0)

  // The same name under the same parent: 409.
  let r = await newDept(admin, `测试部A${t}`, root)
  assert.equal(r.status, 409, r.text)
  assert.equal(errorOf(r).field, 'name')

  r = await putDept(admin, a, { name: `测试部甲${t}` })
  assert.equal(r.status, 204, r.text)
  assert.equal((await deptById(a)).name, `测试部甲${t}`)
  assert.equal((await deptById(a)).parent_id, root, 'a rename does not move it')

  const child = await mkDept(`测试部A1${t}`, a)
  const grandchild = await mkDept(`测试部A11${t}`, child)
  const b = await mkDept(`测试部B${t}`, root)

  // Move A (with its subtree) under B.
  r = await putDept(admin, a, { parent_id: b })
  assert.equal(r.status, 204, r.text)
  assert.equal((await deptById(a)).parent_id, b)
  assert.equal((await deptById(child)).parent_id, a, 'the subtree moves along')
  assert.equal((await deptById(a)).name, `测试部甲${t}`, 'a move does not rename it')

  // Never under itself, its child or its grandchild; B not under A (its child now).
  for (const [id, parent, what] of [[a, a, 'itself'], [a, child, 'its child'], [a, grandchild, 'its grandchild'], [b, a, 'its child A'], [b, grandchild, 'its descendant']]) {
    r = await putDept(admin, id, { parent_id: parent })
    assert.equal(r.status, 422, `${what}: ${r.text}`)
    assert.equal(errorOf(r).field, 'parent_id')
  }
  // Nothing moved.
  assert.equal((await deptById(a)).parent_id, b)
  assert.equal((await deptById(b)).parent_id, root)
  assert.equal((await deptById(child)).parent_id, a)
  assert.equal((await deptById(grandchild)).parent_id, child)
  // A rename refused with the move: the whole request changes nothing.
  r = await putDept(admin, a, { name: `不该改名${t}`, parent_id: child })
  assert.equal(r.status, 422, r.text)
  assert.equal((await deptById(a)).name, `测试部甲${t}`)
})

test('moving a department moves its people between managers\' scopes', async () => {
  const t = tag(6)
  const x = await mkDept(`测试小组${t}`, m1.user.department.id)
  const q = await createStaff(admin, 'mv', { department_id: x })
  const ids = async (s) => {
    const r = await progress(s)
    assert.equal(r.status, 200, r.text)
    return r.json.people.map((p) => p.id)
  }
  const q1 = { staff_id: q.id, kind: 'visit', from: '2026-01-01', to: '2026-12-31' }
  assert.ok((await ids(m1)).includes(q.id), 'in manager1\'s subtree')
  assert.ok(!(await ids(m2)).includes(q.id))
  assert.equal((await records(m1, q1)).status, 200)
  assert.equal((await records(m2, q1)).status, 403)

  const r = await putDept(admin, x, { parent_id: m2.user.department.id })
  assert.equal(r.status, 204, r.text)
  assert.ok(!(await ids(m1)).includes(q.id), 'no longer manager1\'s')
  assert.ok((await ids(m2)).includes(q.id), 'now manager2\'s')
  assert.equal((await records(m1, q1)).status, 403)
  assert.equal((await records(m2, q1)).status, 200)
  assert.equal((await deptById(x)).staff_count, 1)
})

test('admin creates a staff member who can log in; weak passwords 422, a taken login 409; fields update; max customers holds', async () => {
  const dept = m1.user.department.id
  const loginName = uniqueLogin('st')
  const pw = `Xk${tag(6)}9pw`
  const body = { login: loginName, name: `新员工${tag(4)}`, department_id: dept, role: 'salesperson', password: pw, position: '客户经理', mobile: '13912345678', gender: 'f', max_customers: 50 }

  // Weak passwords first: nothing is created.
  for (const weak of ['short1a', '1234567890123', 'onlyletterslong', loginName]) {
    const r = await api('POST', '/api/v1/staff', { cookie: admin.cookie, csrf: admin.csrf, body: { ...body, password: weak } })
    assert.equal(r.status, 422, `${weak}: ${r.text}`)
    const e = errorOf(r)
    assert.equal(e.code, 'weak_password')
    assert.equal(e.field, 'password')
  }
  assert.equal(await sqlInt(`select count(*) from staff where login = ${lit(loginName)}`), 0)

  let r = await api('POST', '/api/v1/staff', { cookie: admin.cookie, csrf: admin.csrf, body })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  r = await api('POST', '/api/v1/staff', { cookie: admin.cookie, csrf: admin.csrf, body: { ...body, name: '另一个人' } })
  assert.equal(r.status, 409, r.text)
  assert.equal(errorOf(r).field, 'login')
  r = await api('POST', '/api/v1/staff', { cookie: admin.cookie, csrf: admin.csrf, body: { ...body, login: uniqueLogin('st'), role: 'boss' } })
  assert.equal(r.status, 400, `an unknown role: ${r.text}`)

  const p = await open(loginName, pw)
  assert.equal(p.user.id, id)
  assert.equal(p.user.role, 'salesperson')
  assert.equal(p.user.department.id, dept)
  await assert.rejects(login(loginName, PASSWORD), /401/, 'only with its own password')

  r = await api('GET', `/api/v1/staff/${id}`, { cookie: admin.cookie })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(
    (({ login, name, department_id, role, position, mobile, gender, max_customers, active }) => ({ login, name, department_id, role, position, mobile, gender, max_customers, active }))(r.json.staff),
    { login: loginName, name: body.name, department_id: dept, role: 'salesperson', position: '客户经理', mobile: '13912345678', gender: 'f', max_customers: 50, active: true })
  // Oneself too; a colleague not.
  assert.equal((await api('GET', `/api/v1/staff/${id}`, { cookie: p.cookie })).status, 200)
  assert.equal((await api('GET', `/api/v1/staff/${id}`, { cookie: (await open('sales4')).cookie })).status, 403)

  // Update fields (and move to 销售二部).
  r = await putStaff(admin, id, { name: '改名员工', position: '高级客户经理', mobile: '13700000000', gender: 'm', department_id: m2.user.department.id })
  assert.equal(r.status, 204, r.text)
  r = await api('GET', `/api/v1/staff/${id}`, { cookie: admin.cookie })
  assert.equal(r.json.staff.name, '改名员工')
  assert.equal(r.json.staff.position, '高级客户经理')
  assert.equal(r.json.staff.mobile, '13700000000')
  assert.equal(r.json.staff.gender, 'm')
  assert.equal(r.json.staff.department_id, m2.user.department.id)
  assert.equal(r.json.staff.max_customers, 50, 'fields not sent stay')
  assert.equal((await me(p)).json.user.department.id, m2.user.department.id, 'the person\'s next request shows the new department')

  // max_customers: at 1, owning one customer, a claim from the pool is refused.
  r = await putStaff(admin, id, { max_customers: 1 })
  assert.equal(r.status, 204, r.text)
  assert.equal((await api('GET', `/api/v1/staff/${id}`, { cookie: admin.cookie })).json.staff.max_customers, 1)
  await newCustomer(p, `上限测试${tag()}有限公司`)
  const [poolId] = await poolIds(1)
  const claim = await submit(p, 'customer_claim', { customer_id: poolId })
  assert.equal(claim.status, 409, claim.text)
  assert.equal(errorOf(claim).code, 'limit')
  assert.match(errorOf(claim).message, /1/, 'the message names the maximum')
  assert.equal(await sqlOne(`select owner_id from customers where id = ${poolId}`), '', 'still in the pool')
  // Raised again, the same claim goes through.
  assert.equal((await putStaff(admin, id, { max_customers: 2 })).status, 204)
  const again = await submit(p, 'customer_claim', { customer_id: poolId })
  assert.equal(again.status, 201, again.text)
})

test('disabling a user ends their sessions at once and they cannot log in', async () => {
  const q = await createStaff(admin, 'off', { department_id: m2.user.department.id })
  const a = await open(q.login)
  const b = await login(q.login)
  assert.equal((await me(a)).status, 200)
  assert.equal((await me(b)).status, 200) // both cached now

  const r = await putStaff(admin, q.id, { active: false })
  assert.equal(r.status, 204, r.text)
  for (const s of [a, b]) {
    const m = await me(s)
    assert.equal(m.status, 401, `the old cookie: ${m.text}`)
    assert.equal(errorOf(m).code, 'unauthenticated')
  }
  const l = await api('POST', '/api/v1/session', { body: { login: q.login, password: PASSWORD } })
  assert.equal(l.status, 401, l.text)
  assert.equal(await sqlInt(`select count(*) from sessions where staff_id = ${q.id}`), 0)
  assert.equal((await api('GET', `/api/v1/staff/${q.id}`, { cookie: admin.cookie })).json.staff.active, false)
  // Not among the active colleagues any more.
  const list = await api('GET', '/api/v1/staff', { cookie: admin.cookie })
  assert.ok(!list.json.items.some((x) => x.id === q.id))
  // Enabled again, they log in again.
  assert.equal((await putStaff(admin, q.id, { active: true })).status, 204)
  const c = await open(q.login)
  assert.equal((await me(c)).status, 200)
})

test('batch authorization: three people become managers at once; their role, menu and rights follow at their next request', async () => {
  const dept = m1.user.department.id
  const people = []
  for (let i = 0; i < 3; i++) people.push(await createStaff(admin, `ba${i}`, { department_id: dept }))
  const sessions = []
  for (const p of people) sessions.push(await open(p.login))
  const salesMenu = await menuKeys(s1)
  const managerMenu = await menuKeys(m1)
  assert.ok(!salesMenu.keys.includes('customers_admin'), 'a salesperson has no customer management')
  assert.ok(managerMenu.keys.includes('customers_admin'), 'a manager has customer management')
  for (const s of sessions) {
    assert.equal((await me(s)).json.user.role, 'salesperson')
    assert.deepEqual((await menuKeys(s)).keys, salesMenu.keys)
    assert.equal((await api('GET', '/api/v1/customers?view=all', { cookie: s.cookie })).status, 403, 'no department view yet')
  }

  const r = await api('POST', '/api/v1/roles/assign', { cookie: admin.cookie, csrf: admin.csrf, body: { role: 'manager', staff_ids: people.map((p) => p.id) } })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.changed, 3)
  assert.equal(await sqlInt(`select count(*) from staff where id in (${people.map((p) => p.id).join(',')}) and role = 'manager'`), 3)
  for (const s of sessions) {
    const m = await me(s)
    assert.equal(m.status, 200, m.text)
    assert.equal(m.json.user.role, 'manager', `${s.user.login}'s next request, same cookie`)
    const menu = await menuKeys(s)
    assert.ok(menu.keys.includes('customers_admin'), 'customer management in the menu')
    assert.deepEqual(menu.keys, managerMenu.keys, 'the manager menu')
    assert.equal((await api('GET', '/api/v1/customers?view=all', { cookie: s.cookie })).status, 200, 'the right follows the role')
  }

  // And back, again at once.
  const back = await api('POST', '/api/v1/roles/assign', { cookie: admin.cookie, csrf: admin.csrf, body: { role: 'salesperson', staff_ids: people.map((p) => p.id) } })
  assert.equal(back.status, 200, back.text)
  for (const s of sessions) {
    assert.equal((await me(s)).json.user.role, 'salesperson')
    assert.deepEqual((await menuKeys(s)).keys, salesMenu.keys)
    assert.equal((await api('GET', '/api/v1/customers?view=all', { cookie: s.cookie })).status, 403)
  }
  // Bad requests change nothing.
  for (const body of [{ role: 'boss', staff_ids: [people[0].id] }, { role: 'manager', staff_ids: [] }, { role: 'manager', staff_ids: [people[0].id, 'x'] }, { role: 'manager', staff_ids: [people[0].id, -1] }]) {
    const bad = await api('POST', '/api/v1/roles/assign', { cookie: admin.cookie, csrf: admin.csrf, body })
    assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`)
  }
  assert.equal(await sqlOne(`select role from staff where id = ${people[0].id}`), 'salesperson')
})

test('batch authorization: a request of the person while the assignment commits does not keep the old role', async () => {
  // The assignment's transaction is held open (the audit insert waits on a
  // lock) while the person makes a request; once the assignment has answered
  // 200, their next request must show the new role.
  const p = await createStaff(admin, 'race', { department_id: m1.user.department.id })
  const s = await open(p.login)
  assert.equal((await me(s)).json.user.role, 'salesperson')
  const holder = spawn('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'crm', '-d', 'crm', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
    '-c', 'begin; lock table audit_log in share mode; select pg_sleep(1.5); commit;'], { stdio: 'ignore' })
  const done = new Promise((resolve) => holder.on('exit', resolve))
  try {
    await waitFor(() => sqlInt(`select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'audit_log' and l.mode = 'ShareLock' and l.granted`), 5000, 20)
    const assign = api('POST', '/api/v1/roles/assign', { cookie: admin.cookie, csrf: admin.csrf, body: { role: 'manager', staff_ids: [p.id] } })
    // Wait until the assignment waits inside its transaction.
    await waitFor(() => sqlInt(`select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into audit_log%'`), 5000, 20)
    const during = await me(s)
    assert.equal(during.status, 200)
    const r = await assign
    assert.equal(r.status, 200, r.text)
    assert.equal(await sqlOne(`select role from staff where id = ${p.id}`), 'manager', 'committed')
  } finally {
    await done
  }
  const m = await me(s)
  assert.equal(m.json.user.role, 'manager', 'the next request after the assignment answered shows the new role')
  assert.ok((await menuKeys(s)).keys.includes('customers_admin'))
})

test('a non-admin gets 403 on every admin endpoint, and nothing changes', async () => {
  const t = tag(6)
  const target = await createStaff(admin, 'na', { department_id: m1.user.department.id })
  const dept = await mkDept(`权限测试${t}`, root)
  const snapshot = async () => ({
    depts: await sqlOne(`select md5(string_agg(id || ':' || coalesce(parent_id, 0) || ':' || name || ':' || coalesce(manager_id, 0), ',' order by id)) from departments`),
    staff: await sqlOne(`select md5(string_agg(id || ':' || login || ':' || name || ':' || role || ':' || active || ':' || coalesce(department_id, 0) || ':' || coalesce(max_customers, -1) || ':' || coalesce(position, '') || ':' || coalesce(mobile, ''), ',' order by id)) from staff`),
    count: await sqlInt('select count(*) from staff')
  })
  const before = await snapshot()
  const calls = [
    ['POST', '/api/v1/departments', { name: `越权部门${t}`, parent_id: root }],
    ['PUT', `/api/v1/departments/${dept}`, { name: `越权改名${t}` }],
    ['PUT', `/api/v1/departments/${dept}`, { parent_id: m1.user.department.id }],
    ['PUT', `/api/v1/departments/${m1.user.department.id}`, { manager_id: s1.user.id }],
    ['POST', '/api/v1/staff', { login: uniqueLogin('na'), name: '越权新人', department_id: root, role: 'admin', password: 'Abcdefgh12345' }],
    ['PUT', `/api/v1/staff/${target.id}`, { role: 'admin', max_customers: 1 }],
    ['PUT', `/api/v1/staff/${target.id}`, { active: false }],
    ['PUT', `/api/v1/staff/${s1.user.id}`, { name: '越权' }],
    ['POST', '/api/v1/roles/assign', { role: 'admin', staff_ids: [target.id, s1.user.id] }]
  ]
  for (const s of [s1, m1, director, await open(target.login)]) {
    for (const [method, url, body] of calls) {
      const r = await api(method, url, { cookie: s.cookie, csrf: s.csrf, body })
      assert.equal(r.status, 403, `${s.user.login} ${method} ${url}: ${r.text}`)
      assert.equal(errorOf(r).code, 'forbidden')
    }
  }
  assert.deepEqual(await snapshot(), before, 'departments and staff unchanged')
  assert.equal(await sqlOne(`select role from staff where id = ${target.id}`), 'salesperson')
  assert.equal((await me(s1)).json.user.role, 'salesperson')
})

test('a menu entry renamed in rules/menu.lua shows on the next request, without restart', async () => {
  const MENU = path.join(RULES, 'menu.lua')
  assert.ok(existsSync(MENU), `no ${MENU}: set CRM_RULES_DIR to the stack's rules folder`)
  const original = readFileSync(MENU, 'utf8')
  const needle = 'key = "customers_pool", zh = "客户公海", en = "Public pool"'
  assert.ok(original.includes(needle), 'the pool entry as shipped')
  const t = tag(4)
  const zh = `公共客户池${t}`
  const en = `Shared pool ${t}`
  const replace = (text) => {
    const tmp = path.join(RULES, `.menu.lua.orgtest-${process.pid}`)
    writeFileSync(tmp, text)
    renameSync(tmp, MENU)
  }
  const poolItem = async (s) => {
    const r = await api('GET', '/api/v1/menu', { cookie: s.cookie })
    assert.equal(r.status, 200, r.text)
    return r.json.menu.flatMap((a) => a.children).find((x) => x.key === 'customers_pool')
  }
  assert.equal((await poolItem(s1)).zh, '客户公海')
  try {
    replace(original.replace(needle, `key = "customers_pool", zh = "${zh}", en = "${en}"`))
    const item = await poolItem(s1)
    assert.equal(item.zh, zh, 'the next request shows the new name')
    assert.equal(item.en, en, 'in both languages')
    assert.equal(item.path, '/customers/pool', 'the page stays')
    for (const s of [m1, director, admin, s1]) assert.equal((await poolItem(s)).zh, zh, `${s.user.login} too`)
  } finally {
    replace(original)
  }
  assert.equal(readFileSync(MENU, 'utf8'), original, 'restored')
  assert.equal((await poolItem(s1)).zh, '客户公海', 'and the old name is back')
})
