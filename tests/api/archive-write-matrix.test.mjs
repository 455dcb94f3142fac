// PLT-AUTH, WF-VISIT, WF-CHANGE, WF-TRANSFER: the role x relation x action
// matrix for writes (archive-visibility.test.mjs has it for reads).  Roles:
// sales1, sales2 (shared with), sales4 (other department), manager1 (head of
// sales1's department), manager2, director, admin.  Relations: a customer of
// sales1, one of sales4, one sales1 shares with sales2, one sales4 shares
// with sales1, one in the pool.  Actions, each a document:
//   - visit: whoever sees the customer records a visit (201); a pool
//     customer must be claimed first (403); an invisible one looks missing
//     (404);
//   - customer_change: a salesperson changes what they own or what is
//     shared with them (201, waiting for their manager), a manager what
//     they see (201, applied at once), directors and admins anything;
//     everyone else 403;
//   - transfer: only the owner gives a customer away (201); anyone else,
//     whatever their role, 409.
// A refusal changes nothing: no document for the customer, the customer
// row as it was.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import { newCustomer, submit, open, closeAll, sql, tag } from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

const ROLES = ['sales1', 'sales2', 'sales4', 'manager1', 'manager2', 'director', 'admin']
const RELS = ['own', 'otherDept', 'sharedOut', 'sharedIn', 'pool']
const DEPT = { sales1: 1, sales2: 1, sales3: 1, manager1: 1, sales4: 2, sales5: 2, sales6: 2, manager2: 2 }
const HEADS = { manager1: 1, manager2: 2 }
const roleOf = (l) => (l.startsWith('sales') ? 'salesperson' : l.startsWith('manager') ? 'manager' : l)

const S = {}
const C = {}
const T = tag()

after(closeAll)

before(async () => {
  for (const l of [...ROLES, 'sales3']) S[l] = await open(l)
  const own = await newCustomer(S.sales1, `写矩阵自有${T}有限公司`)
  const other = await newCustomer(S.sales4, `写矩阵他部${T}有限公司`)
  const shared = await newCustomer(S.sales1, `写矩阵共享${T}有限公司`, { share_with: [S.sales2.user.id] })
  const sharedIn = await newCustomer(S.sales4, `写矩阵共入${T}有限公司`, { share_with: [S.sales1.user.id] })
  const pool = (await sql('select id from customers where owner_id is null order by id desc limit 1'))[0]
  C.own = { id: own.id, owner: 'sales1', shared: [] }
  C.otherDept = { id: other.id, owner: 'sales4', shared: [] }
  C.sharedOut = { id: shared.id, owner: 'sales1', shared: ['sales2'] }
  C.sharedIn = { id: sharedIn.id, owner: 'sales4', shared: ['sales1'] }
  C.pool = { id: Number(pool[0]), owner: null, shared: [] }
})

function sees(who, c) {
  const r = roleOf(who)
  if (r === 'director' || r === 'admin') return true
  if (c.owner === null || c.owner === who || c.shared.includes(who)) return true
  return r === 'manager' && DEPT[c.owner] === HEADS[who]
}

function expectVisit(who, c) {
  if (!sees(who, c)) return 404
  return c.owner === null ? 403 : 201
}

// {status, applied} of a customer_change.
function expectChange(who, c) {
  const r = roleOf(who)
  if (r === 'director' || r === 'admin') return { status: 201, applied: true }
  if (c.owner === who || c.shared.includes(who)) return { status: 201, applied: r !== 'salesperson' }
  if (r === 'manager' && sees(who, c)) return { status: 201, applied: true }
  return { status: 403 }
}

// The customer's documents and row, to show a refusal changed nothing.
const snapshot = async (id) => (await sql(`select (select count(*) from documents where customer_id = ${id}
  or data->'customer_ids' @> '[${id}]'::jsonb), owner_id, address, visit_count from customers where id = ${id}`))[0].join('|')

async function refused(r, status, code, id, before, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`)
  assert.equal(errorOf(r).code, code, what)
  assert.equal(await snapshot(id), before, `${what}: no document, the customer unchanged`)
}

// Managers first: an approver also sees the customer of a document waiting
// for them (ST_CUST_DETAIL), and the salespeople's changes below wait for
// their managers; these checks are about the roles' own rights.
for (const who of ['manager1', 'manager2', 'director', 'admin', 'sales1', 'sales2', 'sales4']) {
  test(`write matrix: ${who} x every relation: visit and info change`, async () => {
    const s = S[who]
    for (const rel of RELS) {
      const c = C[rel]
      const what = `${who} x ${rel}`
      // visit
      const wantV = expectVisit(who, c)
      let before = wantV === 201 ? null : await snapshot(c.id)
      const v = await submit(s, 'visit', { customer_id: c.id, met: '矩阵测试', stage: 'needs', notes: `${what} ${T}` })
      if (wantV === 201) {
        assert.equal(v.status, 201, `visit ${what}: ${v.text.slice(0, 200)}`)
        assert.equal(v.json.applied, true)
      } else {
        await refused(v, wantV, wantV === 404 ? 'not_found' : 'forbidden', c.id, before, `visit ${what}`)
      }
      // customer_change
      const wantC = expectChange(who, c)
      before = wantC.status === 201 ? null : await snapshot(c.id)
      const address = `矩阵路 ${who} ${rel} ${T}`
      const ch = await submit(s, 'customer_change', { customer_id: c.id, reason: '矩阵测试', address })
      if (wantC.status === 201) {
        assert.equal(ch.status, 201, `change ${what}: ${ch.text.slice(0, 200)}`)
        assert.equal(ch.json.applied, wantC.applied, `change ${what}: applied`)
        const now = (await sql(`select address from customers where id = ${c.id}`))[0][0]
        if (wantC.applied) assert.equal(now, address, `change ${what} applied`)
        else assert.notEqual(now, address, `change ${what} waits for approval`)
      } else {
        await refused(ch, 403, 'forbidden', c.id, before, `change ${what}`)
      }
    }
  })
}

test('write matrix: every role x every relation: transfer (the owner only, last)', async () => {
  for (const rel of RELS) {
    const c = C[rel]
    // Everyone but the owner first: a successful transfer changes the relation.
    const order = ROLES.filter((w) => w !== c.owner).concat(c.owner ? [c.owner] : [])
    for (const who of order) {
      const what = `transfer ${who} x ${rel}`
      const before = who === c.owner ? null : await snapshot(c.id)
      const to = who === 'sales3' ? S.sales2 : S.sales3
      const r = await submit(S[who], 'transfer', { customer_ids: [c.id], to: to.user.id, reason: 'other', note: `矩阵测试 ${T}` })
      if (who === c.owner) {
        assert.equal(r.status, 201, `${what}: ${r.text.slice(0, 200)}`)
        assert.equal(Number((await sql(`select owner_id from customers where id = ${c.id}`))[0][0]), to.user.id, `${what}: the receiver owns it`)
      } else {
        await refused(r, 409, 'conflict', c.id, before, what)
      }
    }
  }
})
