// Browser tests of the customer archive (issue 3): the customer lists with the type
// tree and search, the customer page, new customer (field errors, duplicates, claim
// instead), claims from the pool (and losing a race), info changes approved and
// rejected through the to-do inbox, transfers, the phone layout, English.
// Runs against a live stack: CRM_URL=http://127.0.0.1:8080 node --test tests/e2e/
// Other suites share the database: every customer made here has a fresh name, and
// nothing depends on exact counts made elsewhere. Screenshots go to $CRM_SCREENSHOTS.
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  BASE,
  DEVICES,
  apiSession,
  chooseLanguage,
  hasChinese,
  launchBrowser,
  login,
  newPage,
  openMenu,
  pageWidth,
  screenshot,
  serverAvailable,
  settled,
  userFacts
} from './support.mjs'

const TEST = { timeout: 90000 }
const PC = DEVICES.find((d) => !d.phone)
const PHONE = DEVICES.find((d) => d.phone)

// Names no earlier run used: the database is not wiped between runs.
const RUN = Date.now().toString(36)
let serial = 0
const unique = (prefix) => `${prefix}${RUN}${++serial}`

// The same name as the server's duplicate check sees it (rules/customer.lua): upper
// case, full-width letters and digits, spaces inside and around.
const FULL_WIDTH = (s) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
const variantOf = (name) => `  ${FULL_WIDTH(name.slice(0, 2).toUpperCase())} ${FULL_WIDTH(name.slice(2).toUpperCase())} `

function customerData(name, overrides = {}) {
  return {
    name,
    address: '测试市测试路 1 号',
    contact: '王先生',
    phone: '13800138000',
    region: 'ec',
    type: 'enterprise_medium',
    source: 'referral',
    ...overrides
  }
}

// createCustomer adds a customer as the API session's user; -> {id, number, name}.
async function createCustomer(session, name, overrides) {
  const r = await session.post('/documents', { kind: 'customer_new', data: customerData(name, overrides) })
  assert.equal(r.status, 201, `customer_new ${name} as ${session.user.login}: ${r.status} ${JSON.stringify(r.json)}`)
  return { id: r.json.result.id, number: r.json.result.number, name }
}

// poolCustomers returns n customers in the public pool now that `session` may claim.
async function poolCustomers(session, n) {
  const r = await session.get('/customers?view=pool&size=50&sort=-number')
  assert.equal(r.status, 200)
  const out = []
  for (const c of r.json.items) {
    const d = await session.get(`/customers/${c.id}`)
    if (d.status === 200 && d.json.customer.can.claim) out.push(c)
    if (out.length === n) return out
  }
  throw new Error(`fewer than ${n} claimable customers in the pool`)
}

// The codes of a node of the customer-type tree and of every type below it.
function subtreeOf(tree, code) {
  const all = (nodes) => nodes.flatMap((n) => [n.code, ...all(n.children || [])])
  const find = (nodes) => {
    for (const n of nodes) {
      if (n.code === code) return n
      const hit = find(n.children || [])
      if (hit) return hit
    }
    return null
  }
  const node = find(tree)
  return node ? all([node]) : []
}

// goMenu opens a menu item (drawer on a phone) and waits for its page.
async function goMenu(page, device, areaKey, itemKey, path) {
  const nav = await openMenu(page, device)
  const item = nav.locator(`[data-test="menu-item-${itemKey}"]`)
  if (!(await item.isVisible())) {
    await nav.locator(`[data-test="menu-area-${areaKey}"] > .el-sub-menu__title`).click()
    await item.waitFor({ state: 'visible' })
    await settled(page) // the area has finished opening
  }
  await item.click()
  await page.waitForURL((u) => u.pathname === path)
}

const isCustomerList = (r, params) =>
  r.request().method() === 'GET' &&
  r.url().includes('/api/v1/customers?') &&
  Object.entries(params).every(([k, v]) => new URL(r.url()).searchParams.get(k) === v)

// search types into the list's search box and waits for the list it asked for.
async function search(page, text, params = {}) {
  const answer = page.waitForResponse((r) => isCustomerList(r, { q: text, ...params }))
  await page.locator('[data-test="list-search"]').fill(text)
  await page.locator('[data-test="list-search"]').press('Enter')
  const res = await answer
  assert.equal(res.status(), 200, `list answered ${res.status()}`)
  return res.json()
}

// The customer numbers the list shows, once it has settled on `count` rows.
async function shownNumbers(page, count) {
  const cells = page.locator('[data-test="customer-list"] [data-test="row-number"]')
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="customer-list"] [data-test="row-number"]').length === n,
    count
  )
  return (await cells.allInnerTexts()).map((s) => s.trim())
}

// Form helpers over FormRenderer's data-test attributes.
const input = (page, key) => page.locator(`[data-test="input-${key}"]`)
const fieldError = (page, key) => page.locator(`[data-test="field-${key}"] .el-form-item__error`)
async function choose(page, key, code) {
  await page.locator(`[data-test="field-${key}"] .el-select`).click()
  const option = page.locator(`[data-test="option-${key}-${code}"]`)
  await option.click()
  // A tree select on a busy phone-sized page sometimes keeps its popper open
  // after the choice: close it; the form's later checks see a wrong value.
  try {
    await option.waitFor({ state: 'hidden', timeout: 4000 })
  } catch {
    await page.keyboard.press('Escape')
    await option.waitFor({ state: 'hidden' })
  }
}
async function fillCustomerForm(page, data) {
  for (const key of ['name', 'address', 'contact', 'phone']) {
    if (data[key] !== undefined) await input(page, key).fill(data[key])
  }
  for (const key of ['region', 'type', 'source']) {
    if (data[key] !== undefined) await choose(page, key, data[key])
  }
}

async function noHorizontalScroll(page, what) {
  await settled(page)
  const width = await pageWidth(page)
  assert.ok(width <= 375, `${what} is ${width} px wide at 375 px`)
}

describe('customer archive in the browser', () => {
  let browser
  const contexts = []

  before(async () => {
    assert.ok(await serverAvailable(), `the CRM stack does not answer at ${BASE}/api/v1/health (set CRM_URL)`)
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  afterEach(async () => {
    while (contexts.length) await contexts.pop().close()
  })

  // A logged-in page of `who` at the device's size, in Chinese (other suites may leave
  // a user's stored language at English).
  async function pageAs(device, who) {
    await userFacts(who)
    const { context, page } = await newPage(browser, device)
    contexts.push(context)
    await login(page, who)
    return page
  }

  for (const device of DEVICES) {
    describe(`at ${device.name}`, () => {
      it('a salesperson filters My customers by a type-tree node, searches, opens a customer', TEST, async () => {
        const s1 = await apiSession('sales1')
        let facts
        try {
          const name = unique('测试客户甲')
          // A government customer among sales1's customers, so the "政府机构" node has
          // a subtree with rows while other types stay outside it.
          const mine = await createCustomer(s1, name, { type: 'gov_institution', contact: '赵处长' })
          const config = (await s1.get('/config')).json
          const all = (await s1.get('/customers?view=mine&size=1')).json.total
          facts = { mine, all, subtree: subtreeOf(config.customer_types, 'gov') }
        } finally {
          await s1.close()
        }
        assert.ok(facts.subtree.length > 1, 'the type "gov" has subtypes in rules/lists.lua')

        const page = await pageAs(device, 'sales1')
        const firstList = page.waitForResponse((r) => isCustomerList(r, { view: 'mine' }))
        await goMenu(page, device, 'customers', 'customers_mine', '/customers/mine')
        assert.equal((await (await firstList).json()).total, facts.all)
        await page.locator('[data-test="page-title"]', { hasText: '我的客户' }).waitFor()
        if (device.phone) {
          await page.locator('[data-test="list-cards"] [data-test="list-row"]').first().waitFor()
          assert.equal(await page.locator('[data-test="list-table"]').count(), 0, 'no table on a phone')
        } else {
          await page.locator('[data-test="list-table"] [data-test="row-number"]').first().waitFor()
        }

        // Click the "government" node: the list shrinks to that subtree.
        const filtered = page.waitForResponse((r) => isCustomerList(r, { view: 'mine', type: 'gov' }))
        if (device.phone) {
          await page.locator('.el-select[data-test="type-tree-select"]').click()
          await page.locator('[data-test="type-option-gov"]').click()
        } else {
          await page.locator('[data-test="type-node-gov"]').click()
        }
        const body = await (await filtered).json()
        await page.waitForURL((u) => u.searchParams.get('type') === 'gov')
        assert.ok(body.total >= 1 && body.total < facts.all, `gov subtree: ${body.total} of ${facts.all}`)
        for (const row of body.items) {
          assert.ok(facts.subtree.includes(row.type), `row ${row.number} has type ${row.type}, outside "gov"`)
        }
        assert.deepEqual(await shownNumbers(page, body.items.length), body.items.map((r) => r.number))
        assert.ok(body.items.some((r) => r.id === facts.mine.id), 'the new government customer is in the subtree')
        await screenshot(page, `customers-${device.tag}`)

        // Search by name within the filter: exactly that customer.
        const found = await search(page, facts.mine.name, { type: 'gov' })
        assert.deepEqual(found.items.map((r) => r.number), [facts.mine.number])
        assert.deepEqual(await shownNumbers(page, 1), [facts.mine.number])
        if (device.phone) await noHorizontalScroll(page, 'My customers')

        // Open it: fields, aggregates, history.
        await page.locator('[data-test="row-name"]', { hasText: facts.mine.name }).click()
        await page.waitForURL((u) => u.pathname === `/customers/${facts.mine.id}`)
        assert.equal(await page.locator('[data-test="customer-name"]').innerText(), facts.mine.name)
        assert.equal(await page.locator('[data-test="customer-number"]').innerText(), facts.mine.number)
        assert.equal(await page.locator('[data-test="customer-field-contact"]').innerText(), '赵处长')
        assert.equal(await page.locator('[data-test="customer-field-type"]').innerText(), '事业单位')
        assert.equal(await page.locator('[data-test="customer-field-region"]').innerText(), '华东')
        assert.equal(await page.locator('[data-test="aggregate-visit_count"]').innerText(), '0')
        assert.match(await page.locator('[data-test="aggregate-deal_total"]').innerText(), /0\.00/)
        assert.match(await page.locator('[data-test="customer-owner"]').innerText(), /张伟|负责人/)
        const created = page.locator('[data-test="timeline-document"]', { hasText: '新增客户' })
        await created.waitFor()
        assert.ok(await page.locator('[data-test="detail-change"]').isVisible(), 'the owner may ask for an info change')
        assert.ok(await page.locator('[data-test="detail-transfer"]').isVisible(), 'the owner may transfer')
        assert.equal(await page.locator('[data-test="detail-claim"]').count(), 0, 'no claim of an owned customer')
        if (device.phone) await noHorizontalScroll(page, 'the customer page')
        else await screenshot(page, 'customer-detail-pc')
      })

      it('a salesperson adds a customer: field errors, duplicate names, claim instead, one document per double click', TEST, async () => {
        const who = device.phone ? 'sales4' : 'sales1'
        const session = await apiSession(who)
        let own
        let pooled
        try {
          own = await createCustomer(session, unique('测试客户乙'))
          ;[pooled] = await poolCustomers(session, 1)
        } finally {
          await session.close()
        }

        const page = await pageAs(device, who)
        await goMenu(page, device, 'customers', 'customers_mine', '/customers/mine')
        await page.locator('[data-test="action-new"]').click()
        await page.waitForURL((u) => u.pathname === '/workflows/new-customer')
        await page.locator('[data-test="form-customer_new"]').waitFor()
        let posts = 0
        page.on('request', (r) => {
          if (r.method() === 'POST' && r.url().endsWith('/api/v1/documents')) posts++
        })

        // A required field left empty: shown under it, nothing sent.
        const fresh = unique('测试客户丙')
        await fillCustomerForm(page, { ...customerData(fresh), contact: undefined })
        await page.locator('[data-test="form-submit"]').click()
        await fieldError(page, 'contact').waitFor()
        assert.equal((await fieldError(page, 'contact').innerText()).trim(), '联系人为必填项')
        assert.equal(posts, 0, 'no request with a required field missing')
        if (device.phone) {
          await noHorizontalScroll(page, 'the new-customer form')
          await screenshot(page, 'new-customer-phone')
        }
        await input(page, 'contact').fill('钱经理')

        // The name of an existing customer, in capitals, full-width and with spaces:
        // the server refuses it and names the number; the message is under the name.
        await input(page, 'name').fill(variantOf(own.name))
        let answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
        await page.locator('[data-test="form-submit"]').click()
        let res = await answer
        assert.equal(res.status(), 409, `duplicate answered ${res.status()}`)
        const dup = (await res.json()).error
        assert.equal(dup.code, 'duplicate_name')
        assert.match(dup.message, new RegExp(own.number))
        await page.locator('[data-test="duplicate-message"]').waitFor()
        assert.equal((await page.locator('[data-test="duplicate-message"]').innerText()).trim(), dup.message)
        assert.equal((await fieldError(page, 'name').innerText()).trim(), dup.message)
        assert.equal(await page.locator('[data-test="claim-existing"]').count(), 0, 'an owned customer is not offered for a claim')

        // The name of a customer in the pool: claiming it is offered, and works.
        await input(page, 'name').fill(pooled.name)
        answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
        await page.locator('[data-test="form-submit"]').click()
        res = await answer
        assert.equal(res.status(), 409)
        assert.equal((await res.json()).error.detail.in_pool, true)
        await page.locator('[data-test="claim-existing"]').click()
        const dialog = page.locator('[data-test="claim-dialog"]')
        await dialog.locator('[data-test="customer-field-name"]', { hasText: pooled.name }).waitFor()
        answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
        await dialog.locator('[data-test="claim-confirm"]').click()
        res = await answer
        assert.equal(res.status(), 201, `claim answered ${res.status()} ${await res.text()}`)
        assert.equal(res.request().postDataJSON().kind, 'customer_claim')
        await page.waitForURL((u) => u.pathname === `/customers/${pooled.id}`)
        await page.locator('[data-test="customer-owner"]', { hasText: '负责人' }).waitFor()
        assert.equal(await page.locator('[data-test="customer-in-pool"]').count(), 0)

        // A fresh name goes through; a double click makes one document.
        await page.goto('/workflows/new-customer')
        await page.locator('[data-test="form-customer_new"]').waitFor()
        await fillCustomerForm(page, customerData(fresh, { contact: '钱经理', type: 'gov_agency' }))
        posts = 0
        answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
        await page.locator('[data-test="form-submit"]').dblclick()
        res = await answer
        assert.equal(res.status(), 201, `customer_new answered ${res.status()} ${await res.text()}`)
        const made = await res.json()
        assert.ok(res.request().headers()['idempotency-key'], 'the document POST carries an Idempotency-Key')
        assert.equal(made.document.data.name, fresh, 'the name is sent trimmed')
        await page.waitForURL((u) => u.pathname === `/customers/${made.result.id}`)
        assert.equal(await page.locator('[data-test="customer-name"]').innerText(), fresh)
        assert.equal(await page.locator('[data-test="customer-number"]').innerText(), made.result.number)
        assert.equal(await page.locator('[data-test="customer-field-type"]').innerText(), '党政机关')
        assert.equal(posts, 1, 'one POST for a double click')
      })

      it(`a manager ${device.phone ? 'rejects' : 'approves'} a salesperson's info change from the to-do inbox`, TEST, async () => {
        const s1 = await apiSession('sales1')
        let target
        let manager
        try {
          target = await createCustomer(s1, unique('测试客户丁'), { contact: '旧联系人' })
          manager = (await s1.get('/staff')).json.items.find((s) => s.login === 'manager1')
        } finally {
          await s1.close()
        }
        const newContact = unique('新联系人')

        // sales1 asks for the change from the customer page; the form comes prefilled
        // and only the changed field (plus customer and reason) is sent.
        const sales = await pageAs(device, 'sales1')
        await sales.goto(`/customers/${target.id}`)
        await sales.locator('[data-test="detail-change"]').click()
        await sales.waitForURL((u) => u.pathname === '/workflows/change')
        await sales.waitForFunction(() => document.querySelector('[data-test="input-contact"]')?.value === '旧联系人')
        assert.equal(await input(sales, 'name').inputValue(), target.name)
        await input(sales, 'contact').fill(newContact)
        await input(sales, 'reason').fill('联系人变更')
        if (device.phone) await noHorizontalScroll(sales, 'the info-change form')
        const answer = sales.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
        await sales.locator('[data-test="form-submit"]').click()
        const res = await answer
        assert.equal(res.status(), 201, `customer_change answered ${res.status()} ${await res.text()}`)
        assert.deepEqual(res.request().postDataJSON().data, { customer_id: target.id, contact: newContact, reason: '联系人变更' })
        const doc = (await res.json()).document
        const result = sales.locator('[data-test="change-result"]')
        await result.waitFor()
        assert.match(await result.innerText(), new RegExp(`已提交，等待 ${manager.name} 审批`))
        assert.match(await result.innerText(), new RegExp(doc.number))

        // manager1: the header counts it, the inbox lists it, before -> after shown.
        const boss = await pageAs(device, 'manager1')
        const badge = boss.locator('[data-test="header-unread"] .el-badge__content')
        await badge.waitFor()
        assert.ok(Number((await badge.innerText()).replace('+', '')) > 0, 'unread count in the header')
        await goMenu(boss, device, 'workflows', 'wf_todos', '/todos')
        // Other suites may leave to-dos of their own: find this one by its number.
        await boss.locator('[data-test="list-search"]').fill(doc.number)
        await boss.locator('[data-test="list-search"]').press('Enter')
        const row = device.phone
          ? boss.locator('[data-test="list-row"]', { hasText: doc.number })
          : boss.locator('[data-test="todo-list"] tr', { hasText: doc.number })
        await row.locator('[data-test="todo-open"]').click()
        const drawer = boss.locator('[data-test="todo-drawer"]')
        await drawer.locator('[data-test="document-number"]', { hasText: doc.number }).waitFor()
        const change = drawer.locator('[data-test="data-contact"]')
        await change.locator('.document-data__before', { hasText: '旧联系人' }).waitFor()
        assert.match(await change.innerText(), new RegExp(`旧联系人\\s*→\\s*${newContact}`))
        const comment = '请核对联系人电话'
        if (device.phone) {
          await noHorizontalScroll(boss, 'the to-do drawer')
          // Rejecting needs a comment.
          await drawer.locator('[data-test="decision-reject"]').click()
          await drawer.locator('[data-test="decision-error"]', { hasText: '请填写意见' }).waitFor()
          await drawer.locator('[data-test="decision-comment"]').fill(comment)
          await drawer.locator('[data-test="decision-reject"]').click()
        } else {
          await screenshot(boss, 'todos-pc')
          await drawer.locator('[data-test="decision-approve"]').click()
        }
        await drawer.waitFor({ state: 'hidden' })
        await boss.locator('[data-test="todo-list"]', { hasText: doc.number }).waitFor({ state: 'detached' }).catch(() => {})
        assert.equal(await boss.locator('[data-test="todo-list"]', { hasText: doc.number }).count(), 0, 'decided: gone from the inbox')

        // sales1: the customer page and the notification tell the outcome.
        await sales.goto(`/customers/${target.id}`)
        const contact = sales.locator('[data-test="customer-field-contact"]')
        await contact.waitFor()
        if (device.phone) {
          assert.equal(await contact.innerText(), '旧联系人', 'a rejected change changes nothing')
        } else {
          assert.equal(await contact.innerText(), newContact)
          // The history: who changed which field, before -> after.
          const entry = sales.locator('[data-test="timeline-change"]', { hasText: newContact })
          const text = await entry.innerText()
          assert.match(text, new RegExp(`${manager.name}修改了联系人`))
          assert.match(text, new RegExp(`旧联系人\\s*→\\s*${newContact}`))
        }
        await goMenu(sales, device, 'notifications', 'notifications_inbox', '/notifications')
        const note = sales.locator('[data-test="notification-result"]', { hasText: doc.number })
        await note.waitFor()
        const text = await note.innerText()
        if (device.phone) {
          assert.match(text, /已驳回/)
          assert.match(text, new RegExp(comment))
        } else {
          assert.match(text, /已通过/)
        }
        // Opening it marks it read and shows the document with its trail.
        await note.click()
        await sales.waitForURL((u) => u.pathname === `/documents/${doc.id}`)
        const step = sales.locator('[data-test="trail-step-0"]')
        await step.waitFor()
        assert.match(await step.innerText(), new RegExp(manager.name))
        assert.match(await step.innerText(), device.phone ? /驳回/ : /同意/)
        if (device.phone) assert.match(await step.innerText(), new RegExp(comment))
      })
    })
  }

  it('a salesperson claims a customer from the pool; a claim someone else won says so (PC)', TEST, async () => {
    const s2 = await apiSession('sales2')
    let first
    let lost
    let me
    try {
      ;[first, lost] = await poolCustomers(s2, 2)
      me = s2.user
    } finally {
      await s2.close()
    }

    const page = await pageAs(PC, 'sales2')
    await goMenu(page, PC, 'customers', 'customers_pool', '/customers/pool')
    await page.locator('[data-test="page-title"]', { hasText: '客户公海' }).waitFor()
    await search(page, first.number, { view: 'pool' })
    await shownNumbers(page, 1)
    await page.locator('[data-test="row-claim"]').click()
    const dialog = page.locator('[data-test="claim-dialog"]')
    await dialog.locator('[data-test="customer-field-name"]', { hasText: first.name }).waitFor()
    const reload = page.waitForResponse((r) => isCustomerList(r, { view: 'pool', q: first.number }))
    await dialog.locator('[data-test="claim-confirm"]').click()
    assert.equal((await (await reload).json()).total, 0, 'a claimed customer leaves the pool')
    await shownNumbers(page, 0)

    await goMenu(page, PC, 'customers', 'customers_mine', '/customers/mine')
    const mine = await search(page, first.number, { view: 'mine' })
    assert.equal(mine.items[0]?.owner, me.name)
    await shownNumbers(page, 1)
    assert.ok(await page.locator('[data-test="customer-list"] tr', { hasText: first.number }).getByText(me.name).isVisible())

    // Someone is faster: the server's message, and the list refreshes.
    await goMenu(page, PC, 'customers', 'customers_pool', '/customers/pool')
    await search(page, lost.number, { view: 'pool' })
    await shownNumbers(page, 1)
    await page.locator('[data-test="row-claim"]').click()
    await dialog.locator('[data-test="customer-field-name"]', { hasText: lost.name }).waitFor()
    const rival = await apiSession('sales5')
    try {
      const r = await rival.post('/documents', { kind: 'customer_claim', data: { customer_id: lost.id } })
      assert.equal(r.status, 201, `sales5's claim: ${r.status} ${JSON.stringify(r.json)}`)
    } finally {
      await rival.close()
    }
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
    const refreshed = page.waitForResponse((r) => isCustomerList(r, { view: 'pool', q: lost.number }))
    await dialog.locator('[data-test="claim-confirm"]').click()
    const res = await refused
    assert.equal(res.status(), 409)
    const message = (await res.json()).error.message
    await dialog.locator('[data-test="claim-error"]', { hasText: message }).waitFor()
    assert.equal((await (await refreshed).json()).total, 0)
    await dialog.locator('[data-test="claim-cancel"]').click()
    await shownNumbers(page, 0)
  })

  it('a salesperson transfers two customers to a colleague with a reason (PC)', TEST, async () => {
    const s3 = await apiSession('sales3')
    const picked = []
    try {
      picked.push(await createCustomer(s3, unique('测试客户戊')))
      picked.push(await createCustomer(s3, unique('测试客户己')))
    } finally {
      await s3.close()
    }

    const page = await pageAs(PC, 'sales3')
    await goMenu(page, PC, 'workflows', 'wf_transfer', '/workflows/transfer')
    await page.locator('[data-test="form-transfer"]').waitFor()
    for (const c of picked) {
      const answer = page.waitForResponse((r) => isCustomerList(r, { view: 'mine', q: c.number }))
      await page.locator('[data-test="input-customer_ids"] input').fill(c.number)
      await answer
      await page.locator(`[data-test="customer-option-${c.id}"]`).click()
      await page.locator('[data-test="input-customer_ids"] .el-tag', { hasText: c.name }).waitFor()
    }
    await page.locator('[data-test="page-title"]').click() // closes the customer list
    await input(page, 'to').click()
    await page.locator('[data-test="staff-option-sales2"]').click()
    await choose(page, 'reason', 'territory')
    await input(page, 'note').fill('区域调整，交给王芳跟进')
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/documents') && r.request().method() === 'POST')
    await page.locator('[data-test="form-submit"]').click()
    const res = await answer
    assert.equal(res.status(), 201, `transfer answered ${res.status()} ${await res.text()}`)
    const sent = res.request().postDataJSON()
    assert.equal(sent.kind, 'transfer')
    assert.deepEqual([...sent.data.customer_ids].sort((a, b) => a - b), picked.map((c) => c.id).sort((a, b) => a - b))
    assert.equal(sent.data.reason, 'territory')
    const result = page.locator('[data-test="transfer-result"]')
    await result.waitFor()
    assert.match(await result.innerText(), /已将 2 个客户转交给 王芳/)

    const s2 = await apiSession('sales2')
    try {
      for (const c of picked) {
        const d = await s2.get(`/customers/${c.id}`)
        assert.equal(d.status, 200)
        assert.equal(d.json.customer.owner.id, s2.user.id, `${c.name} belongs to sales2 now`)
      }
    } finally {
      await s2.close()
    }
  })

  it('at phone width: cards, the customer page, forms, a claim and a withdrawal fit 375 px', TEST, async () => {
    const s6 = await apiSession('sales6')
    let pooled
    let pending
    try {
      ;[pooled] = await poolCustomers(s6, 1)
      const own = await createCustomer(s6, unique('测试客户庚'))
      const r = await s6.post('/documents', { kind: 'customer_change', data: { customer_id: own.id, phone: '13900139000', reason: '换号' } })
      assert.equal(r.status, 201, `customer_change: ${r.status} ${JSON.stringify(r.json)}`)
      pending = r.json.document
    } finally {
      await s6.close()
    }
    const page = await pageAs(PHONE, 'sales6')
    await goMenu(page, PHONE, 'customers', 'customers_mine', '/customers/mine')
    const card = page.locator('[data-test="list-cards"] [data-test="list-row"]').first()
    await card.waitFor()
    assert.equal(await page.locator('[data-test="list-table"]').count(), 0, 'cards, not a table')
    await noHorizontalScroll(page, 'My customers')

    const id = await card.getAttribute('data-id')
    await card.click()
    await page.waitForURL((u) => u.pathname === `/customers/${id}`)
    await page.locator('[data-test="customer-aggregates"]').waitFor()
    await page.locator('[data-test="customer-fields"]').waitFor()
    await noHorizontalScroll(page, 'the customer page')

    for (const [path, ready] of [
      ['/workflows/new-customer', '[data-test="form-customer_new"]'],
      [`/workflows/change?customer=${id}`, '[data-test="field-reason"]'],
      ['/workflows/transfer', '[data-test="form-transfer"]'],
      ['/todos', '[data-test="todo-list"]'],
      ['/notifications', '[data-test="notification-list"]'],
      ['/documents', '[data-test="document-list"]']
    ]) {
      await page.goto(path)
      await page.locator(ready).waitFor()
      await noHorizontalScroll(page, path)
    }

    await goMenu(page, PHONE, 'customers', 'customers_pool', '/customers/pool')
    await page.locator('[data-test="list-cards"] [data-test="list-row"]').first().waitFor()
    await noHorizontalScroll(page, 'the pool')
    await screenshot(page, 'pool-phone')
    await search(page, pooled.number, { view: 'pool' })
    const row = page.locator(`[data-test="list-row"][data-id="${pooled.id}"]`)
    await row.locator('[data-test="row-claim"]').click()
    const dialog = page.locator('[data-test="claim-dialog"]')
    await dialog.locator('[data-test="customer-field-name"]', { hasText: pooled.name }).waitFor()
    await noHorizontalScroll(page, 'the claim dialog')
    await dialog.locator('[data-test="claim-confirm"]').click()
    await row.waitFor({ state: 'detached' })
    await page.goto(`/customers/${pooled.id}`)
    await page.locator('[data-test="customer-owner"]', { hasText: '负责人' }).waitFor()

    // The applicant withdraws an info change that still waits for approval.
    await page.locator('[data-test="user-menu"]').click()
    await page.locator('[data-test="my-documents-link"]').click()
    await page.waitForURL((u) => u.pathname === '/documents')
    await page.locator('[data-test="document-list"] [data-test="list-row"]', { hasText: pending.number }).click()
    await page.waitForURL((u) => u.pathname === `/documents/${pending.id}`)
    assert.equal(await page.locator('[data-test="document-status"]').innerText(), '审批中')
    await page.locator('[data-test="data-phone"] .document-data__before', { hasText: '13800138000' }).waitFor()
    assert.match(await page.locator('[data-test="data-phone"]').innerText(), /13800138000\s*→\s*13900139000/)
    await noHorizontalScroll(page, 'the document page')
    await page.locator('[data-test="document-withdraw"]').click()
    await page.locator('[data-test="document-status"]', { hasText: '已撤回' }).waitFor()
    assert.equal(await page.locator('[data-test="document-withdraw"]').count(), 0)
  })

  it('in English: list headers and form labels (from the form definition) are English (PC)', TEST, async () => {
    await userFacts('sales5') // starts in Chinese
    const s5 = await apiSession('sales5')
    let form
    try {
      form = (await s5.get('/forms/customer_new')).json.form
    } finally {
      await s5.close()
    }
    const page = await pageAs(PC, 'sales5')
    try {
      await chooseLanguage(page, 'en', { saved: true })
      await goMenu(page, PC, 'customers', 'customers_mine', '/customers/mine')
      await page.locator('[data-test="page-title"]', { hasText: 'My customers' }).waitFor()
      const headers = (await page.locator('[data-test="list-table"] thead th').allInnerTexts()).map((s) => s.trim()).filter(Boolean)
      for (const h of ['Number', 'Customer name', 'Type', 'Status', 'Region', 'Sales stage', 'Visits', 'Last visit', 'Owner']) {
        assert.ok(headers.includes(h), `header "${h}" in ${JSON.stringify(headers)}`)
      }
      assert.ok(!headers.some(hasChinese), `Chinese header in ${JSON.stringify(headers)}`)
      await page.locator('[data-test="type-node-gov"]', { hasText: 'Government' }).waitFor()

      await page.locator('[data-test="action-new"]').click()
      await page.waitForURL((u) => u.pathname === '/workflows/new-customer')
      await page.locator('[data-test="page-title"]', { hasText: form.en }).waitFor()
      for (const f of form.fields) {
        const label = page.locator(`[data-test="field-${f.key}"] .el-form-item__label`)
        assert.equal((await label.innerText()).trim(), f.en, `label of ${f.key}`)
      }
      await page.locator('[data-test="form-submit"]').click()
      await fieldError(page, 'name').waitFor()
      assert.equal((await fieldError(page, 'name').innerText()).trim(), 'Customer name is required')
      await page.locator('[data-test="field-region"] .el-select').click()
      await page.locator('[data-test="option-region-ec"]', { hasText: 'East China' }).waitFor()
    } finally {
      await userFacts('sales5') // back to Chinese for the next run
    }
  })
})
