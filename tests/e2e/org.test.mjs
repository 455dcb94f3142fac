// Browser tests of staff, org structure and targets (issue 5): a manager sets a team's
// quarterly targets in one document through the grid and the director approves it; a
// salesperson's progress card moves by exactly one visit and 123.45 of payments, and the
// visits number lists the visit; an admin renames a menu entry in rules/menu.lua and the
// menu follows without a restart; batch authorization gives a new person the manager
// menu; at phone width the progress cards stack without horizontal scrolling.
// Runs against a live stack: CRM_URL=http://127.0.0.1:8080 node --test tests/e2e/org.test.mjs
// (CRM_RULES_DIR: the stack's rules folder, default rules/). Nothing here depends on
// counts made elsewhere: periods are far-future and checked free, people are new.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BASE,
  DEVICES,
  PASSWORD,
  apiSession,
  asUser,
  launchBrowser,
  login,
  newPage,
  pageWidth,
  screenshot,
  serverAvailable,
  settled,
  userFacts
} from './support.mjs'

const TEST = { timeout: 60000 }
const PC = DEVICES.find((d) => !d.phone)
const PHONE = DEVICES.find((d) => d.phone)
const RUN = Date.now().toString(36)
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const RULES = process.env.CRM_RULES_DIR || path.join(REPO, 'rules')
const TEAM_TZ = process.env.CRM_TZ || 'Asia/Shanghai'

// Today on the sales team's clock (the server counts days in it), "YYYY-MM-DD".
const teamToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TEAM_TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
function monthOf(day) {
  const [y, m] = day.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { start: `${day.slice(0, 7)}-01`, end: `${day.slice(0, 7)}-${String(last).padStart(2, '0')}` }
}
// "123.45" -> 12345 (amounts as text, compared in cents, never through floats)
function cents(text) {
  const [whole, frac = ''] = String(text).split('.')
  return Number(whole) * 100 + Number(frac.padEnd(2, '0').slice(0, 2))
}

async function ok(r, what, status = 200) {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

// withApi(login, fn): fn(session) with an API session that is always closed.
async function withApi(login, fn) {
  const s = await apiSession(login)
  try {
    return await fn(s)
  } finally {
    await s.close()
  }
}

const deptId = async (s, name) => (await ok(await s.get('/departments'), 'departments')).items.find((d) => d.name === name).id

// People made by this run, disabled again at the end (kept out of later runs' lists).
const madeHere = []

// A new salesperson made by the admin through the API: {id, login, name}.
async function newSalesperson(prefix, deptName) {
  return withApi('admin', async (admin) => {
    const login = `${prefix}${RUN}`.slice(0, 32)
    const name = `${prefix}${RUN}`
    const department_id = await deptId(admin, deptName)
    const r = await admin.post('/staff', { login, name, department_id, role: 'salesperson', password: PASSWORD })
    const { id } = await ok(r, `create ${login}`, 201)
    madeHere.push(id)
    return { id, login, name }
  })
}

describe('staff, org and targets in the browser', () => {
  let browser
  const contexts = []

  before(async () => {
    assert.ok(await serverAvailable(), `the CRM stack does not answer at ${BASE}/api/v1/health (set CRM_URL)`)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    if (madeHere.length) {
      await asUser('admin', async (api, csrf) => {
        for (const id of madeHere) {
          await api.put(`/api/v1/staff/${id}`, { data: { active: false }, headers: { 'X-CSRF-Token': csrf } })
        }
      })
    }
  })
  afterEach(async () => {
    while (contexts.length) await contexts.pop().close()
  })

  async function pageAs(device, who, { facts = true } = {}) {
    if (facts) await userFacts(who) // starts in Chinese
    const { context, page } = await newPage(browser, device)
    contexts.push(context)
    await login(page, who)
    return page
  }

  it('a manager sets 销售一部\'s quarterly targets in one document through the grid; the director approves it', TEST, async () => {
    // A far-future quarter no one in 销售一部 has targets for (reruns never overlap).
    const { team, quarter, directorIds } = await withApi('director', async (d) => {
      // The grid holds everyone in 销售一部 and the departments below it.
      const depts = (await ok(await d.get('/departments'), 'departments')).items
      const subtree = new Set([depts.find((x) => x.name === '销售一部').id])
      for (let grew = true; grew; ) {
        grew = false
        for (const x of depts) {
          if (subtree.has(x.parent_id) && !subtree.has(x.id)) {
            subtree.add(x.id)
            grew = true
          }
        }
      }
      const staff = (await ok(await d.get('/staff'), 'staff')).items
      const team = staff.filter((s) => subtree.has(s.department_id))
      const directorIds = staff.filter((s) => s.role === 'director').map((s) => s.id)
      const taken = []
      for (const s of team) taken.push(...(await ok(await d.get(`/targets?staff_id=${s.id}`), 'targets')).items)
      for (let i = 0; i < 50; i++) {
        const y = 2100 + ((Date.now() + i * 97) % 700)
        const q = 1 + ((Math.floor(Date.now() / 1000) + i) % 4)
        const start = `${y}-${String(q * 3 - 2).padStart(2, '0')}-01`
        const end = monthOf(`${y}-${String(q * 3).padStart(2, '0')}-01`).end
        if (!taken.some((t) => t.start_date <= end && start <= t.end_date)) return { team, quarter: { y, q, start, end }, directorIds }
      }
      throw new Error('no free far-future quarter for 销售一部')
    })
    assert.ok(team.length >= 2, '销售一部 has a team')
    const period = `${quarter.y}年Q${quarter.q}-${RUN}`

    const page = await pageAs(PC, 'manager1')
    await page.goto('/staff/targets')
    await page.locator('[data-test="targets-team"]').waitFor()
    const grid = page.locator('[data-test="target-grid"]')
    for (const s of team) await grid.locator(`[data-test="cell-visits-${s.id}"]`).waitFor()

    await page.locator('[data-test="input-period"]').fill(period)
    for (const [key, day] of [['start_date', quarter.start], ['end_date', quarter.end]]) {
      await page.locator(`[data-test="field-${key}"] input`).fill(day)
      await page.keyboard.press('Tab')
    }
    await page.locator('[data-test="fill-new_customers"]').fill('6')
    await page.locator('[data-test="fill-visits"]').fill('45')
    await page.locator('[data-test="fill-deal_amount"]').fill('500000.00')
    await page.locator('[data-test="fill-payment_amount"]').fill('300000.50')
    await page.locator('[data-test="fill-apply"]').click()
    // One person gets a figure of their own after "fill all".
    await grid.locator(`[data-test="cell-visits-${team[0].id}"]`).fill('60')
    assert.equal(await grid.locator(`[data-test="cell-deal_amount-${team[1].id}"]`).inputValue(), '500000.00')
    await screenshot(page, 'targets-team-pc')

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
    await page.locator('[data-test="form-submit"]').click()
    const res = await answer
    const body = await res.json()
    assert.equal(res.status(), 201, JSON.stringify(body))
    const doc = body.document
    assert.equal(doc.kind, 'target')
    assert.equal(body.applied, false, 'a manager\'s team targets wait for the director')
    assert.equal(doc.data.targets.length, team.length, 'the whole team in one document')
    for (const row of doc.data.targets) {
      assert.equal(row.visits, row.staff_id === team[0].id ? 60 : 45)
      assert.equal(row.new_customers, 6)
      assert.equal(row.deal_amount, '500000.00')
      assert.equal(row.payment_amount, '300000.50')
    }
    const approver = doc.steps[0].approver
    assert.ok(directorIds.includes(approver.id), `the director approves, not ${JSON.stringify(approver)}`)
    await page.locator('[data-test="target-result"]', { hasText: `已提交给 ${approver.name} 审批` }).waitFor()
    await page.locator('[data-test="target-sent"] [data-test="target-rows-table"]').waitFor()
    await screenshot(page, 'targets-sent-pc')

    // The director approves it (the to-do inbox's own tests cover the decision page).
    await withApi('director', async (d) => {
      const todo = (await ok(await d.get('/todos'), 'todos')).items.find((x) => x.id === doc.id)
      assert.ok(todo, 'the document waits in the director\'s to-dos')
      const decided = await ok(await d.post(`/documents/${doc.id}/decision`, { action: 'approve', comment: 'ok' }), 'approve')
      assert.equal(decided.applied, true)
      const set = (await ok(await d.get(`/targets?staff_id=${team[1].id}`), 'targets')).items.find((t) => t.period === period)
      assert.ok(set, 'the target applies after approval')
      assert.deepEqual(
        [set.start_date, set.end_date, set.visits, set.deal_amount, set.payment_amount],
        [quarter.start, quarter.end, 45, '500000.00', '300000.50']
      )
    })
  })

  it('a salesperson\'s card moves by exactly one visit and 123.45 of payments; the visits number lists the visit', TEST, async () => {
    // A new salesperson (no earlier run's targets) with a target for this month set by
    // the director (applied at once) and one customer of their own.
    const today = teamToday()
    const month = monthOf(today)
    const person = await newSalesperson('e2eprog', '销售二部')
    await withApi('director', async (d) => {
      const r = await d.post('/documents', {
        kind: 'target',
        data: {
          period: `本月-${RUN}`,
          start_date: month.start,
          end_date: month.end,
          targets: [{ staff_id: person.id, new_customers: 4, visits: 10, deal_amount: '20000.00', payment_amount: '1000.00' }]
        }
      })
      assert.equal((await ok(r, 'director sets the target', 201)).applied, true)
    })
    const { customerId, stage } = await withApi(person.login, async (s) => {
      const config = await ok(await s.get('/config'), 'config')
      const r = await s.post('/documents', {
        kind: 'customer_new',
        data: {
          name: `指标测试客户${RUN}`,
          address: '测试路 1 号',
          contact: '王先生',
          phone: '13800138000',
          region: config.regions[0].code,
          type: config.customer_types[0].children?.[0]?.code || config.customer_types[0].code,
          source: config.sources[0].code
        }
      })
      return { customerId: (await ok(r, 'customer_new', 201)).result.id, stage: config.stages[0].code }
    })

    const page = await pageAs(PC, person.login, { facts: false })
    await page.goto(`/staff/progress?date=${today}`)
    const card = page.locator(`[data-test="progress-card"][data-staff="${person.id}"]`)
    await card.waitFor()
    await card.locator('[data-test="card-period"]', { hasText: `本月-${RUN}` }).waitFor()
    assert.equal((await card.locator('[data-test="target-visits"]').innerText()).trim(), '10')
    assert.equal((await card.locator('[data-test="target-payment_amount"]').innerText()).trim(), '1000.00')
    const visitsBefore = Number((await card.locator('[data-test="actual-visits"]').innerText()).trim())
    const paidBefore = (await card.locator('[data-test="actual-payment_amount"]').innerText()).trim()

    const visitNumber = await withApi(person.login, async (s) => {
      const v = await s.post('/documents', {
        kind: 'visit',
        data: { customer_id: customerId, met: '王先生', stage, notes: `指标测试拜访 ${RUN}` }
      })
      const visit = await ok(v, 'visit', 201)
      const p = await s.post('/documents', { kind: 'payment', data: { customer_id: customerId, pay_date: today, amount: '123.45' } })
      await ok(p, 'payment', 201)
      return visit.document.number
    })

    await page.reload()
    await card.waitFor()
    await page.waitForFunction(
      ([id, n]) => document.querySelector(`[data-test="progress-card"][data-staff="${id}"] [data-test="actual-visits"]`)?.textContent.trim() === String(n),
      [person.id, visitsBefore + 1]
    )
    const paidAfter = (await card.locator('[data-test="actual-payment_amount"]').innerText()).trim()
    assert.equal(cents(paidAfter) - cents(paidBefore), 12345, `payments ${paidBefore} -> ${paidAfter}`)
    await screenshot(page, 'progress-pc')

    await card.locator('[data-test="actual-visits"]').click()
    const dialog = page.locator('[data-test="records-dialog"]')
    const link = dialog.locator('a', { hasText: visitNumber })
    await link.waitFor()
    await link.click()
    await page.waitForURL((u) => /^\/documents\/\d+$/.test(u.pathname))
    await page.locator('[data-test="document-number"]', { hasText: visitNumber }).waitFor()
  })

  it('an admin renames a menu entry in rules/menu.lua: the menu follows after a reload, without a restart', TEST, async () => {
    const file = path.join(RULES, 'menu.lua')
    const original = readFileSync(file, 'utf8')
    const old = 'zh = "指标总览"'
    assert.ok(original.includes(old), 'rules/menu.lua names the target overview 指标总览')
    const renamed = `指标总览${RUN.slice(-4)}`
    // Written beside it and renamed over it: the server never reads a half-written file.
    const replace = (text) => {
      const tmp = path.join(RULES, `.menu.lua.e2e-${RUN}`)
      writeFileSync(tmp, text)
      renameSync(tmp, file)
    }
    const page = await pageAs(PC, 'admin')
    try {
      replace(original.replace(old, `zh = "${renamed}"`))
      await page.reload()
      await page.waitForFunction((name) => document.querySelector('[data-test="menu-item-staff_progress"]')?.textContent.trim() === name, renamed)
    } finally {
      replace(original)
    }
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-test="menu-item-staff_progress"]')?.textContent.trim() === '指标总览')
  })

  it('batch authorization: the admin ticks a new person on the org page and makes them a manager; their menu follows', TEST, async () => {
    const person = await newSalesperson('e2emgr', '销售二部')
    // Logged in as a salesperson first: no customer management in the menu.
    const theirs = await pageAs(PC, person.login, { facts: false })
    await theirs.locator('[data-test="menu-item-customers_mine"]').waitFor({ state: 'attached' })
    assert.equal(await theirs.locator('[data-test="menu-item-customers_admin"]').count(), 0)

    const page = await pageAs(PC, 'admin')
    await page.goto('/staff/org')
    const dept = await withApi('admin', (a) => deptId(a, '销售二部'))
    await page.locator(`[data-test="dept-node-${dept}"]`).click()
    await page.locator('[data-test="dept-title"]', { hasText: '销售二部' }).waitFor()
    const tick = page.locator(`[data-test="tick-${person.login}"]`)
    await tick.waitFor()
    await tick.click()
    await page.locator('[data-test="assign-open"]', { hasText: '(1)' }).waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'org-pc')
    await page.locator('[data-test="assign-open"]').click()
    const dialog = page.locator('[data-test="assign-dialog"]')
    await dialog.locator('[data-test="assign-people"]', { hasText: person.name }).waitFor()
    await dialog.locator('[data-test="assign-role"]').click()
    await page.locator('[data-test="assign-role-manager"]').click()
    await dialog.locator('[data-test="assign-submit"]').click()
    await dialog.locator('[data-test="assign-result"]', { hasText: '1 人的角色已变更' }).waitFor()

    // At their next request (a reload) the server gives the manager's menu.
    await theirs.reload()
    await theirs.locator('[data-test="menu-item-customers_admin"]').waitFor({ state: 'attached' })
    const role = await withApi(person.login, async (s) => (await ok(await s.get('/me'), 'me')).user.role)
    assert.equal(role, 'manager')
  })

  it('at phone width the progress cards stack with the org tree as a select on top, without horizontal scrolling', TEST, async () => {
    const page = await pageAs(PHONE, 'manager1')
    await page.goto('/staff/progress')
    await page.locator('[data-test="progress-page"] [data-test="dept-select"]').waitFor()
    const cards = page.locator('[data-test="progress-card"]')
    await cards.nth(1).waitFor()
    await settled(page)
    const boxes = []
    for (let i = 0; i < (await cards.count()); i++) boxes.push(await cards.nth(i).boundingBox())
    for (let i = 1; i < boxes.length; i++) {
      assert.equal(Math.round(boxes[i].x), Math.round(boxes[0].x), 'one column of cards')
      assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height, 'each card below the one before')
    }
    assert.ok(boxes.every((b) => b.x >= 0 && b.x + b.width <= 375), 'the cards fit the screen')
    assert.ok((await pageWidth(page)) <= 375, `the page is ${await pageWidth(page)} px wide at 375 px`)
    await screenshot(page, 'progress-phone')
  })
})
