// Claims from the public pool (WF-CLAIM, CUS-POOL): fifty simultaneous claims
// of one customer by six salespeople over twelve sessions have exactly one
// winner and 49 clear refusals naming the winner (three rounds); the winner
// owns it and it leaves the pool; a salesperson one below the maximum who
// claims fifty different customers at once ends exactly at the maximum; the
// daily claim cap of rules/pool.lua (20) refuses the 21st claim of a day.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  submit, detail, timeline, inView, total, open, closeAll, addStaff, sql, sqlInt, poolIds, ownedCount,
  claimsToday, maxOf, setMax, tally, idemKey
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

const SALES = ['sales1', 'sales2', 'sales3', 'sales4', 'sales5', 'sales6']
const DAILY_CAP = 20 // rules/pool.lua M.daily_claim_cap

after(closeAll)

const claim = (s, customerId, key) => submit(s, 'customer_claim', { customer_id: customerId }, key ? { key } : {})

test('claim race: 50 simultaneous claims of one pool customer, exactly one winner, three rounds', async () => {
  // Two sessions per salesperson: the same person racing with themself too.
  const sessions = []
  for (const l of SALES) sessions.push(await open(l), await open(l))
  // Losers must be refused with already_claimed, never limit, when nobody
  // is near a limit: the preconditions of a fresh demo database.
  for (const l of SALES) {
    assert.ok((await claimsToday(l)) <= DAILY_CAP - 3, `${l} is near the daily cap; wipe the stack`)
    assert.ok((await ownedCount(l)) < ((await maxOf(l)) ?? 200) - 3, `${l} is near the maximum`)
  }
  const targets = await poolIds(3)
  for (const [round, cid] of targets.entries()) {
    const number = (await sql(`select number from customers where id = ${cid}`))[0][0]
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => claim(sessions[(i + round) % sessions.length], cid)))
    const t = tally(answers)
    assert.deepEqual(t, { 201: 1, '409 already_claimed': 49 }, `round ${round + 1}: ${JSON.stringify(t)} ${answers.filter((r) => r.status >= 500).map((r) => r.text).join(' ')}`)
    const wi = answers.findIndex((r) => r.status === 201)
    const winner = sessions[(wi + round) % sessions.length]
    const w = answers[wi].json
    assert.equal(w.applied, true)
    assert.equal(w.document.status, 'approved')
    assert.equal(w.result.id, cid)
    for (const r of answers) {
      if (r.status !== 409) continue
      const e = errorOf(r)
      assert.equal(e.field, 'customer_id')
      assert.ok(e.message.includes(winner.user.name), `a clear refusal names the winner ${winner.user.name}: ${e.message}`)
    }

    // The winner owns it; it left the pool for everyone.
    const d = await detail(winner, cid)
    assert.equal(d.status, 200, d.text)
    assert.equal(d.json.customer.owner.id, winner.user.id)
    assert.equal(d.json.customer.can.claim, false)
    assert.equal((await inView(winner, 'mine', number)).found, true, 'in the winner\'s view=mine')
    for (const s of [winner, sessions[(wi + round + 2) % sessions.length]]) {
      assert.equal((await inView(s, 'pool', number)).found, false, 'no longer in view=pool')
    }
    assert.equal(await sqlInt(`select count(*) from customers where id = ${cid} and owner_id = ${winner.user.id}`), 1)
    assert.equal(await sqlInt(`select count(*) from pool_log where customer_id = ${cid} and event = 'claimed'`), 1, 'one claim logged')
    assert.equal(await sqlInt(`select count(*) from documents where kind = 'customer_claim' and customer_id = ${cid}`), 1, 'one claim document')
    const tl = await timeline(winner, cid)
    assert.equal(tl.status, 200)
    const own = tl.json.items.filter((x) => x.type === 'change' && x.field === 'owner')
    assert.equal(own.length, 1, JSON.stringify(tl.json.items))
    assert.equal(own[0].before, null)
    assert.equal(own[0].after, winner.user.name)
    assert.ok(tl.json.items.some((x) => x.type === 'pool' && x.kind === 'claimed'), 'the pool event is on the timeline')

    // Claiming it again later: already claimed (also by the owner).
    const again = await claim(winner, cid)
    assert.equal(again.status, 409)
    assert.equal(errorOf(again).code, 'already_claimed')
  }
})

test('limit race: one below the maximum, 50 different pool customers claimed at once -> exactly one, ends at the maximum', async () => {
  // The salesperson with the fewest claims today, so the daily cap cannot interfere.
  const counts = await Promise.all(SALES.map(async (l) => [l, await claimsToday(l)]))
  counts.sort((a, b) => a[1] - b[1])
  const who = counts[0][0]
  assert.ok(counts[0][1] < DAILY_CAP - 1, `${who} has ${counts[0][1]} claims today`)
  const oldMax = await maxOf(who)
  const owned = await ownedCount(who)
  const sessions = [await open(who), await open(who), await open(who)]
  const ids = await poolIds(50)
  await setMax(who, owned + 1)
  try {
    const before = await total(sessions[0], 'mine')
    const answers = await Promise.all(ids.map((cid, i) => claim(sessions[i % 3], cid)))
    const t = tally(answers)
    assert.deepEqual(t, { 201: 1, '409 limit': 49 }, JSON.stringify(t))
    for (const r of answers) {
      if (r.status === 409) assert.match(errorOf(r).message, new RegExp(`${owned + 1}`), `the refusal names the maximum: ${errorOf(r).message}`)
    }
    assert.equal(await ownedCount(who), owned + 1, 'ends exactly at the maximum')
    assert.equal(await total(sessions[0], 'mine'), before + 1)
    const won = answers.find((r) => r.status === 201).json.result.id
    assert.equal(
      await sqlInt(`select count(*) from customers where id in (${ids.join(',')}) and owner_id is null`),
      49,
      'the other 49 are still in the pool'
    )
    assert.equal(await sqlInt(`select count(*) from customers where id = ${won} and owner_id = ${sessions[0].user.id}`), 1)

    // At the maximum, one more claim is refused as well.
    const more = await claim(sessions[0], (await poolIds(1))[0])
    assert.equal(more.status, 409)
    assert.equal(errorOf(more).code, 'limit')
  } finally {
    await setMax(who, oldMax)
  }
  assert.equal(await maxOf(who), oldMax, 'max_customers restored')
})

test('daily claim cap: 25 claims at once by a fresh salesperson -> 20 succeed; the 21st and later are refused with limit', async () => {
  const who = await addStaff('tcap')
  const s1 = await open(who)
  const s2 = await open(who)
  assert.equal(await claimsToday(who), 0)
  const ids = await poolIds(25, 60) // clear of the lowest ids the other tests take
  const answers = await Promise.all(ids.map((cid, i) => claim(i % 2 ? s2 : s1, cid)))
  const t = tally(answers)
  assert.deepEqual(t, { 201: DAILY_CAP, '409 limit': 25 - DAILY_CAP }, JSON.stringify(t))
  for (const r of answers) {
    if (r.status === 409) assert.match(errorOf(r).message, /每日上限|daily/, errorOf(r).message)
  }
  assert.equal(await ownedCount(who), DAILY_CAP)
  assert.equal(await claimsToday(who), DAILY_CAP)
  assert.equal(await total(s1, 'mine'), DAILY_CAP)

  // One by one afterwards: still refused, and nothing moves.
  const next = (await poolIds(1))[0]
  const r21 = await claim(s1, next, idemKey('cap21'))
  assert.equal(r21.status, 409, r21.text)
  assert.equal(errorOf(r21).code, 'limit')
  assert.equal(await sqlInt(`select count(*) from customers where id = ${next} and owner_id is null`), 1)
  assert.equal(await ownedCount(who), DAILY_CAP)
})

test('a claim of an owned customer -> 409 already_claimed, nothing changes; a bad id -> 422 customer_id', async () => {
  const s = await open('sales6')
  const owned = (await sql(`select c.id from customers c join staff s on s.id = c.owner_id where s.login = 'sales1' order by c.id limit 1`))[0][0]
  const r = await claim(s, Number(owned))
  assert.equal(r.status, 409, r.text)
  assert.equal(errorOf(r).code, 'already_claimed')
  assert.equal(errorOf(r).field, 'customer_id')
  assert.equal(await sqlInt(`select count(*) from customers c join staff s on s.id = c.owner_id where c.id = ${owned} and s.login = 'sales1'`), 1)
  const bad = await submit(s, 'customer_claim', { customer_id: 'abc' })
  assert.equal(bad.status, 422, bad.text)
  assert.equal(errorOf(bad).field, 'customer_id')
})

test('a claim of a customer that does not exist -> 404 not_found (as wf_claim_apply intends)', async () => {
  const s = await open('sales6')
  const missing = await claim(s, 999999999)
  assert.equal(missing.status, 404, `expected 404 not_found, got ${missing.status} ${missing.text}`)
  assert.equal(errorOf(missing).code, 'not_found')
})
