// Visits (WF-VISIT) and the authenticity rule (rules/visit.lua): a visit
// started from a real scan, at the customer's place, with a fresh photo whose
// EXIF (written by exiftool) puts it there, is "verified on site"; the same
// visit with the phone 5 km away, without a scan, or with a photo two hours
// old is recorded but not verified, with the reason; every visit moves the
// customer's visit count, last visit and stage at once and shows in its
// activity; pool and invisible customers are refused; an offline visit sent
// again and again with one Idempotency-Key (also at the same moment) is
// recorded once, with its capture time and its (later) arrival time.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf } from './lib.mjs'
import { open, closeAll, detail, submit, sql, sqlInt, sqlOne, poolIds, idemKey, HAN } from './archive-lib.mjs'
import {
  fieldPerson, placedCustomer, somePlace, around, distance, scan, photo, visit, visitData, iso8, minutes,
  upload, fixture, SMALL_JPEG
} from './field-lib.mjs'

after(closeAll)

let s, m1

before(async () => {
  s = await fieldPerson('fv')
  m1 = await open('manager1')
})

async function customerNow(id) {
  const r = await detail(s, id)
  assert.equal(r.status, 200, r.text)
  return r.json.customer
}
async function activity(id) {
  const r = await api('GET', `/api/v1/customers/${id}/activity`, { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json
}
const codes = (verdict) => verdict.reasons.map((x) => x.code).sort()

// Submit a visit and check what every recorded visit must do: 201, applied at
// once, one visits row with the verdict, the customer's count +1, last visit
// (= the capture time, when later than before), stage and status, and the
// visit in the customer's activity.  Returns {res, verdict, row}.
async function recorded(c, data, opts = {}) {
  const before1 = await customerNow(c.id)
  const r = await visit(s, data, opts)
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, true, 'a visit needs no approval')
  assert.equal(r.json.document.kind, 'visit')
  assert.equal(r.json.document.status, 'approved')
  const verdict = r.json.result.verdict
  assert.equal(typeof verdict.verified, 'boolean')
  assert.equal(verdict.refuse, false)
  assert.ok(Array.isArray(verdict.reasons))
  for (const x of verdict.reasons) {
    assert.match(x.zh, HAN, 'each reason has its Chinese text')
    assert.ok(x.en.length > 5, 'and its English text')
  }
  const docId = r.json.document.id
  const rows = await sql(`select id, verified, from_scan, extract(epoch from captured_at), verdict::text, stage from visits where document_id = ${docId}`)
  assert.equal(rows.length, 1, 'exactly one visit row')
  assert.equal(Number(rows[0][0]), r.json.result.visit)
  assert.equal(rows[0][1], verdict.verified ? 't' : 'f', 'the verdict is stored with the visit')
  assert.equal(rows[0][2], data.qr_token ? 't' : 'f')
  assert.deepEqual(JSON.parse(rows[0][4]).reasons.map((x) => x.code).sort(), codes(verdict))

  const after1 = await customerNow(c.id)
  assert.equal(after1.visit_count, before1.visit_count + 1, 'visit count +1')
  assert.equal(after1.stage, data.stage, 'stage from the visit')
  if (data.status) assert.equal(after1.status, data.status, 'status from the visit')
  const captured = Number(rows[0][3]) * 1000
  const expectLast = Math.max(captured, before1.last_visit_at ? Date.parse(before1.last_visit_at) : 0)
  assert.ok(after1.last_visit_at, 'last visit set')
  assert.ok(Math.abs(Date.parse(after1.last_visit_at) - expectLast) < 1500, `last visit ${after1.last_visit_at}, expected ${new Date(expectLast).toISOString()}`)
  if (data.captured_at && Date.parse(data.captured_at) < Date.now() + 300000) {
    assert.ok(Math.abs(captured - Date.parse(data.captured_at)) < 1500, `captured_at kept: ${new Date(captured).toISOString()} vs ${data.captured_at}`)
  }

  const act = await activity(c.id)
  const v = act.visits.find((x) => x.document_id === docId)
  assert.ok(v, 'the visit is in the customer\'s activity')
  assert.equal(v.verified, verdict.verified)
  assert.equal(v.from_scan, Boolean(data.qr_token))
  assert.equal(v.met, data.met)
  if (data.photo) assert.equal(v.photo, data.photo, 'the photo is linked')
  return { res: r, verdict, row: rows[0], act: v }
}

// A customer with a place, its scanned code, and a fresh photo taken there.
async function scene({ photoAge = 5, withPhoto = true } = {}) {
  const place = somePlace()
  const c = await placedCustomer(s, place)
  const code = await scan(s, c.id)
  const capturedAt = new Date(Date.now() - minutes(1))
  const ph = withPhoto ? await photo(s, { taken: new Date(capturedAt.getTime() - minutes(photoAge)), ...around(place, 30, -20) }) : null
  return { c, place, code, capturedAt, ph }
}

test('a scan at the customer\'s place with a fresh photo taken there: verified on site, no reasons', async () => {
  const { c, place, code, capturedAt, ph } = await scene()
  assert.ok(ph.exif.taken_at, 'the EXIF time was read')
  assert.ok(ph.exif.gps, 'the EXIF position was read')
  assert.ok(distance(ph.exif.gps, place) < 60, `photo position read: ${JSON.stringify(ph.exif.gps)}`)
  const device = around(place, 60, 40)
  const { verdict, act } = await recorded(c, visitData(c.id, {
    qr_token: code.token, photo: ph.token, captured_at: iso8(capturedAt), ...device,
    stage: 'proposal', status: 'interested', place: '前台', notes: '现场拜访，递交方案。'
  }))
  assert.equal(verdict.verified, true, JSON.stringify(verdict))
  assert.deepEqual(verdict.reasons, [])
  assert.ok(Math.abs(verdict.distance_m - distance(device, place)) < 5, `distance ${verdict.distance_m}`)
  assert.ok(verdict.distance_m < 100)
  assert.ok(Math.abs(act.lat - device.lat) < 1e-6 && Math.abs(act.lng - device.lng) < 1e-6, 'the device position is kept')
})

test('the same with the phone 5 km away: recorded, not verified, reason "far"', async () => {
  const { c, place, code, capturedAt, ph } = await scene()
  const device = around(place, 4000, 3000)
  const { verdict } = await recorded(c, visitData(c.id, {
    qr_token: code.token, photo: ph.token, captured_at: iso8(capturedAt), ...device, stage: 'negotiation'
  }))
  assert.equal(verdict.verified, false)
  assert.deepEqual(codes(verdict), ['far'], JSON.stringify(verdict))
  assert.ok(Math.abs(verdict.distance_m - 5000) < 50, `distance ${verdict.distance_m}`)
  assert.match(verdict.reasons[0].zh, /500/, 'the reason names the limit')
})

test('no scan: recorded, not verified, reason "no_scan"', async () => {
  const { c, place, capturedAt, ph } = await scene()
  const { verdict } = await recorded(c, visitData(c.id, {
    photo: ph.token, captured_at: iso8(capturedAt), ...around(place, 20), stage: 'needs'
  }))
  assert.equal(verdict.verified, false)
  assert.deepEqual(codes(verdict), ['no_scan'], JSON.stringify(verdict))
})

test('a photo taken two hours before the visit: recorded, not verified, reason "old_photo"', async () => {
  const { c, place, code, capturedAt, ph } = await scene({ photoAge: 120 })
  const { verdict } = await recorded(c, visitData(c.id, {
    qr_token: code.token, photo: ph.token, captured_at: iso8(capturedAt), ...around(place, 20), stage: 'won'
  }))
  assert.equal(verdict.verified, false)
  assert.deepEqual(codes(verdict), ['old_photo'], JSON.stringify(verdict))
  assert.match(verdict.reasons[0].en, /120 minutes/, verdict.reasons[0].en)
  // 25 minutes is within the 30 the rule allows.
  const ok = await scene({ photoAge: 25 })
  const v2 = await recorded(ok.c, visitData(ok.c.id, {
    qr_token: ok.code.token, photo: ok.ph.token, captured_at: iso8(ok.capturedAt), ...around(ok.place, 20)
  }))
  assert.equal(v2.verdict.verified, true, JSON.stringify(v2.verdict))
})

test('a photo taken 3 km from the customer: reason "far_photo"; a customer without a place: "no_customer_location"', async () => {
  const { c, place, code, capturedAt } = await scene({ withPhoto: false })
  const far = await photo(s, { taken: new Date(capturedAt.getTime() - minutes(3)), ...around(place, 3000) })
  const v1 = await recorded(c, visitData(c.id, {
    qr_token: code.token, photo: far.token, captured_at: iso8(capturedAt), ...around(place, 10)
  }))
  assert.equal(v1.verdict.verified, false)
  assert.deepEqual(codes(v1.verdict), ['far_photo'], JSON.stringify(v1.verdict))

  // No stored place: nothing to compare with, so not verified.
  const bare = await placedCustomer(s, null)
  const bareCode = await scan(s, bare.id)
  const v2 = await recorded(bare, visitData(bare.id, { qr_token: bareCode.token, ...somePlace() }))
  assert.deepEqual(codes(v2.verdict), ['no_customer_location'], JSON.stringify(v2.verdict))

  // The manager sets its place (an info change by a manager is applied at once);
  // from then on a visit there is verified.
  const where = somePlace()
  const ch = await submit(m1, 'customer_change', { customer_id: bare.id, reason: '登记客户位置', lat: where.lat, lng: where.lng })
  assert.equal(ch.status, 201, ch.text)
  assert.equal(ch.json.applied, true, 'applied at once')
  const placed = await customerNow(bare.id)
  assert.ok(Math.abs(placed.lat - where.lat) < 1e-9 && Math.abs(placed.lng - where.lng) < 1e-9)
  const v3 = await recorded(bare, visitData(bare.id, { qr_token: bareCode.token, ...around(where, 100) }))
  assert.equal(v3.verdict.verified, true, JSON.stringify(v3.verdict))
})

test('refused: a pool customer (403), an invisible one (404), someone else\'s photo, a bad time; nothing recorded', async () => {
  const docsBefore = await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id}`)
  const [poolId] = await poolIds(1)
  const pool = await visit(s, visitData(poolId))
  assert.equal(pool.status, 403, pool.text)
  assert.equal(errorOf(pool).code, 'forbidden')
  assert.match(errorOf(pool).message, HAN)
  const hidden = Number(await sqlOne("select c.id from customers c join staff o on o.id = c.owner_id where o.login = 'sales4' order by c.id limit 1"))
  const h = await visit(s, visitData(hidden))
  assert.equal(h.status, 404, h.text)
  assert.equal((await visit(s, visitData(999999999))).status, 404)

  const place = somePlace()
  const c = await placedCustomer(s, place)
  const docsMid = await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id}`)
  // A photo uploaded by somebody else.
  const other = await fieldPerson('fv2')
  const theirs = await photo(other, { taken: new Date(), ...place })
  const p = await visit(s, visitData(c.id, { photo: theirs.token }))
  assert.equal(p.status, 422, p.text)
  assert.equal(errorOf(p).field, 'photo')
  const nophoto = await visit(s, visitData(c.id, { photo: 'nosuchphototoken0123456789' }))
  assert.equal(nophoto.status, 422, nophoto.text)
  // A file uploaded as a contract is not a photo of the visit.
  const contract = await upload(s, fixture(SMALL_JPEG), { kind: 'contract', name: 'contract.jpg' })
  assert.equal(contract.status, 201, contract.text)
  const notphoto = await visit(s, visitData(c.id, { photo: contract.json.token }))
  assert.equal(notphoto.status, 422, notphoto.text)
  assert.equal(errorOf(notphoto).field, 'photo')
  for (const bad of ['yesterday', '2026-13-01T10:00:00+08:00', '2026-11-27T10:00:00', '2026-11-27T25:00:00+08:00']) {
    const r = await visit(s, visitData(c.id, { captured_at: bad }))
    assert.equal(r.status, 422, `captured_at ${bad}: ${r.text}`)
    assert.equal(errorOf(r).field, 'captured_at')
  }
  for (const [k, v] of [['stage', 'nonsense'], ['lat', 91], ['lng', 'east'], ['met', ''], ['notes', undefined]]) {
    const r = await visit(s, visitData(c.id, { [k]: v }))
    assert.equal(r.status, 422, `${k}=${v}: ${r.text}`)
    assert.equal(errorOf(r).field, k)
  }
  assert.equal(await sqlInt(`select count(*) from documents where applicant_id = ${s.user.id}`), docsMid, 'no document for a refused visit')
  assert.equal(docsMid, docsBefore + 1, 'only the customer_new')
  assert.equal((await customerNow(c.id)).visit_count, 0)
})

test('offline: one Idempotency-Key sent 3 times at once and again later records one visit, with capture and arrival times 2 h apart', async () => {
  const place = somePlace()
  const c = await placedCustomer(s, place)
  const code = await scan(s, c.id)
  // Captured two hours ago while the network was down; the photo 3 minutes before that.
  const capturedAt = new Date(Date.now() - minutes(120))
  const ph = await photo(s, { taken: new Date(capturedAt.getTime() - minutes(3)), ...around(place, 10) })
  const data = visitData(c.id, {
    qr_token: code.token, photo: ph.token, captured_at: iso8(capturedAt), ...around(place, 40), stage: 'proposal', notes: '离线保存的拜访。'
  })
  const key = idemKey('offline-visit')
  const burst = await Promise.all([1, 2, 3].map(() => visit(s, data, { key })))
  const later = await visit(s, data, { key })
  const all = [...burst, later]
  for (const r of all) assert.equal(r.status, 201, r.text)
  const ids = new Set(all.map((r) => r.json.document.id))
  assert.equal(ids.size, 1, 'one document for every retry')
  const docId = [...ids][0]
  const replayed = all.filter((r) => r.headers.get('idempotent-replayed') === 'true').length
  assert.equal(replayed, 3, 'all but the first answer are replays')
  assert.deepEqual(later.json, burst.find((r) => r.headers.get('idempotent-replayed') !== 'true').json, 'a replay is the first answer')

  assert.equal(await sqlInt(`select count(*) from visits where document_id = ${docId}`), 1)
  assert.equal(await sqlInt(`select count(*) from visits where customer_id = ${c.id}`), 1)
  assert.equal(await sqlInt(`select count(*) from documents where kind = 'visit' and customer_id = ${c.id}`), 1)
  const cust = await customerNow(c.id)
  assert.equal(cust.visit_count, 1, 'counted once')
  assert.ok(Math.abs(Date.parse(cust.last_visit_at) - capturedAt.getTime()) < 1500, 'last visit is the capture time')

  const [cap, arr] = (await sql(`select extract(epoch from captured_at), extract(epoch from arrived_at) from visits where document_id = ${docId}`))[0].map(Number)
  assert.ok(Math.abs(cap * 1000 - capturedAt.getTime()) < 1500, 'capture time as the phone said')
  assert.ok(Math.abs(arr * 1000 - Date.now()) < 60000, 'arrival time is the server\'s')
  assert.ok(Math.abs(arr - cap - 7200) < 120, `arrived ${arr - cap} s after capture`)
  // Both times reached the rule: the photo was 3 min before capture, so it is fresh.
  assert.equal(burst[0].json.result.verdict.verified, true, JSON.stringify(burst[0].json.result.verdict))
  const act = (await activity(c.id)).visits.filter((v) => v.document_id === docId)
  assert.equal(act.length, 1)
  assert.ok(act[0].captured_at && act[0].arrived_at && act[0].captured_at !== act[0].arrived_at)

  // The same key with another body: 422, and still one visit.
  const reused = await visit(s, { ...data, notes: '另一次拜访' }, { key })
  assert.equal(reused.status, 422, reused.text)
  assert.equal(errorOf(reused).code, 'idempotency_key_reused')
  assert.equal(await sqlInt(`select count(*) from visits where customer_id = ${c.id}`), 1)
  // No key: 400.
  const nokey = await visit(s, data, { key: null })
  assert.equal(nokey.status, 400, nokey.text)
  assert.equal(errorOf(nokey).code, 'idempotency_key')
  assert.equal((await customerNow(c.id)).visit_count, 1)
})

test('a capture time from the future (a wrong phone clock) is recorded as the arrival time', async () => {
  const place = somePlace()
  const c = await placedCustomer(s, place)
  const code = await scan(s, c.id)
  const { row } = await recorded(c, visitData(c.id, {
    qr_token: code.token, captured_at: iso8(new Date(Date.now() + 24 * 3600 * 1000)), ...around(place, 30)
  }))
  const captured = Number(row[3]) * 1000
  assert.ok(Math.abs(captured - Date.now()) < 60000, `captured_at ${new Date(captured).toISOString()} is now, not tomorrow`)
  assert.ok(Date.parse((await customerNow(c.id)).last_visit_at) <= Date.now() + 1000, 'last visit is not in the future')
})

test('the same instant written in UTC ("...Z", as Date.toISOString() writes it) gets the same verdict: a 2-hour-old photo is still "old_photo"', async () => {
  const place = somePlace()
  const c = await placedCustomer(s, place)
  const code = await scan(s, c.id)
  const capturedAt = new Date(Date.now() - minutes(1))
  // The camera writes its local (+08:00) time, as phones in China do.
  const ph = await photo(s, { taken: new Date(capturedAt.getTime() - minutes(120)), ...around(place, 10) })
  const { verdict } = await recorded(c, visitData(c.id, {
    qr_token: code.token, photo: ph.token, captured_at: capturedAt.toISOString(), ...around(place, 20)
  }))
  assert.deepEqual(codes(verdict), ['old_photo'], `captured_at ${capturedAt.toISOString()}, photo taken ${ph.exif.taken_at} (+08:00): ${JSON.stringify(verdict)}`)
})
