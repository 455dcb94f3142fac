// Browser tests of the business portal and the reports (issue 6): at PC size a manager
// clicks a pie slice (S14) and a bar (S6) on the portal and lands on the list behind
// each, whose total is the clicked figure, then opens a record; at phone size a
// salesperson's portal stacks and holds only "my" reports (English); an admin builds a
// statistics report in the builder page and sees the expected rows, and a broken
// definition (a month pivot without its "from" filter) gets a clear error while the
// other reports keep working.
//
// How a slice or bar is clicked: ECharts draws on a canvas, so there is no element to
// click. ReportChart keeps its ECharts instance as the canvas holder's `crmChart`
// property (always, not only in tests; the app never reads it). The test asks that
// instance where the item is drawn - getItemLayout() of the series data: the sector of a
// slice, the rectangle of a bar - turns that into page coordinates, and clicks there
// with the mouse. The click goes through ECharts' own hit-testing and click handler,
// exactly as a person's would; nothing is dispatched artificially.
//
// Runs against a live stack: CRM_URL=http://127.0.0.1:8080 node --test tests/e2e/reports.test.mjs
// Nothing here depends on counts made elsewhere: expected figures are read from the
// same answers the page shows, and the lists are checked against them.
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
  pageWidth,
  screenshot,
  serverAvailable,
  userFacts
} from './support.mjs'

const TEST = { timeout: 90000 }
const PC = DEVICES.find((d) => !d.phone)
const PHONE = DEVICES.find((d) => d.phone)
const RUN = Date.now().toString(36)
const TEAM_TZ = process.env.CRM_TZ || 'Asia/Shanghai'

// Today on the sales team's clock (the server counts days in it), "YYYY-MM-DD".
const teamToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TEAM_TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())

async function ok(r, what, status = 200) {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

async function withApi(login, fn) {
  const s = await apiSession(login)
  try {
    return await fn(s)
  } finally {
    await s.close()
  }
}

// reportAnswer(page, name) resolves with the JSON of the page's next GET of that report.
function reportAnswer(page, name) {
  return page
    .waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/reports/${name}` && r.request().method() === 'GET')
    .then(async (r) => {
      assert.equal(r.status(), 200, `GET /reports/${name}: ${r.status()}`)
      return r.json()
    })
}

// chartPoint(page, report, seriesIndex, dataIndex) -> {x, y}: the middle of a slice
// (half way out along its middle angle) or of a bar, in page coordinates, once the
// chart has finished its opening animation.
async function chartPoint(page, report, seriesIndex, dataIndex) {
  const holder = page.locator(`[data-test="chart-${report}"] [data-test="chart-canvas"]`).first()
  await holder.scrollIntoViewIfNeeded()
  // Drawn, opening animation over, and not moving any more (cards above still loading
  // could push it down between measuring and clicking).
  await page.waitForFunction(
    (el) =>
      new Promise((resolve) => {
        const at = () => JSON.stringify(el.getBoundingClientRect())
        const before = at()
        setTimeout(() => resolve(el.crmChart && el.crmChart.getZr().animation.isFinished() && at() === before), 300)
      }),
    await holder.elementHandle()
  )
  return holder.evaluate(
    (el, [s, i]) => {
      const data = el.crmChart.getModel().getSeriesByIndex(s).getData()
      const layout = data.getItemLayout(i)
      const box = el.getBoundingClientRect()
      let x
      let y
      if ('startAngle' in layout) {
        const mid = (layout.startAngle + layout.endAngle) / 2
        const r = ((layout.r0 || 0) + layout.r) / 2
        x = layout.cx + r * Math.cos(mid)
        y = layout.cy + r * Math.sin(mid)
      } else {
        x = layout.x + layout.width / 2
        y = layout.y + layout.height / 2
      }
      return { x: box.left + x, y: box.top + y }
    },
    [seriesIndex, dataIndex]
  )
}

// The list's total as its pager shows it ("共 12 条" / "Total 12").
async function pagerTotal(page) {
  const text = await page.locator('[data-test="report-list"] [data-test="list-pager"] .el-pagination__total').innerText()
  return Number(text.replace(/\D+/g, ''))
}

describe('business portal and reports in the browser', () => {
  let browser
  const contexts = []

  before(async () => {
    assert.ok(await serverAvailable(), `the CRM stack does not answer at ${BASE}/api/v1/health (set CRM_URL)`)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    // The language switches above are stored with the user: put them back to zh-CN.
    for (const who of ['sales1', 'admin']) await userFacts(who).catch(() => {})
  })
  afterEach(async () => {
    while (contexts.length) await contexts.pop().close()
  })

  async function openPage(device) {
    const { context, page } = await newPage(browser, device)
    contexts.push(context)
    return page
  }

  it('PC: a manager clicks a pie slice and a bar on the portal, lands on the matching lists and opens a record (zh-CN)', TEST, async () => {
    // Two deals of sales1 today: this month's business per salesperson has a deals bar.
    const seller = await withApi('sales1', async (s) => {
      const mine = await ok(await s.get('/customers?view=mine&size=1'), 'my customers')
      assert.ok(mine.items.length > 0, 'sales1 owns a customer in the demo data')
      for (const amount of ['1234.50', '765.25']) {
        const r = await s.post('/documents', { kind: 'deal', data: { customer_id: mine.items[0].id, deal_date: teamToday(), amount } })
        await ok(r, `deal ${amount}`, 201)
      }
      return s.user
    })
    await userFacts('manager1')
    const page = await openPage(PC)
    const s14Loaded = reportAnswer(page, 's14_customers_type')
    await login(page, 'manager1')

    // The portal of a manager: the cards of rules/portal.lua, 24 or 12 columns wide.
    const portal = await withApi('manager1', async (s) => (await ok(await s.get('/portal'), 'portal')).items)
    for (const item of portal) {
      const card = page.locator(`[data-test="portal-item-${item.report}"]`)
      await card.waitFor()
      assert.equal(await card.getAttribute('data-span'), String(item.span), `${item.report} span`)
    }
    const half = await page.locator('[data-test="portal-item-s11_deal_amount_region"]').boundingBox()
    const whole = await page.locator('[data-test="portal-item-s06_business_per_staff"]').boundingBox()
    assert.ok(half.width < whole.width * 0.6, `a span-12 card is about half as wide as a span-24 one (${half.width} vs ${whole.width})`)
    await screenshot(page, 'reports-portal-pc')

    // 1. A slice of "customers by type": the customer list of that type, as many as the slice.
    const s14 = await s14Loaded
    const slice = s14.rows.findIndex((r) => r.customers > 0)
    assert.ok(slice >= 0, 'some customer type has customers')
    const sliceRow = s14.rows[slice]
    let point = await chartPoint(page, 's14_customers_type', 0, slice)
    let listLoaded = reportAnswer(page, s14.drill.report)
    await page.mouse.click(point.x, point.y)
    await page.waitForURL((u) => u.pathname === `/reports/${s14.drill.report}`)
    assert.equal(new URL(page.url()).searchParams.get('type'), sliceRow._drill.type, 'the list is filtered by the clicked type')
    let list = await listLoaded
    assert.equal(list.total, sliceRow.customers, `${sliceRow.type}: the list holds as many customers as the slice`)
    assert.equal(await pagerTotal(page), sliceRow.customers, 'the pager shows the same total')
    assert.match(await page.locator('[data-test="page-title"]').innerText(), /客户/)

    // 2. The "deals" bar of sales1 in this month's business: the deals list of sales1 this
    // month, as many deals as the bar and their amounts adding up to the deal amount.
    const s06Loaded = reportAnswer(page, 's06_business_per_staff')
    await page.goto('/')
    const s06 = await s06Loaded
    const row = s06.rows.findIndex((r) => String(r._drill.staff) === String(seller.id))
    assert.ok(row >= 0, `sales1 (${seller.id}) has a row in this month's business`)
    const barRow = s06.rows[row]
    assert.ok(barRow.deals >= 2, 'the two deals made above count')
    const series = s06.chart.values.indexOf('deals')
    assert.ok(series >= 0, 'deals are plotted')
    const target = (s06.drill.reports && s06.drill.reports.deals) || s06.drill.report
    point = await chartPoint(page, 's06_business_per_staff', series, row)
    listLoaded = reportAnswer(page, target)
    await page.mouse.click(point.x, point.y)
    await page.waitForURL((u) => u.pathname === `/reports/${target}`)
    const query = new URL(page.url()).searchParams
    assert.equal(query.get('staff'), String(seller.id), 'the list is filtered by the clicked salesperson')
    assert.equal(query.get('from'), barRow._drill.from)
    list = await listLoaded
    assert.equal(list.total, barRow.deals, 'the list holds as many deals as the bar')
    assert.equal(await pagerTotal(page), barRow.deals, 'the pager shows the same total')
    assert.equal(list.sums.amount, barRow.deal_amount, 'the deals add up to the deal amount of the row')
    assert.equal(
      await page.locator('[data-test="report-sum-amount"] strong').getAttribute('data-value'),
      barRow.deal_amount,
      'the page shows the total amount'
    )
    await screenshot(page, 'reports-drill-pc')

    // 3. A row opens its document.
    const first = list.rows[0]
    assert.equal(first._link.type, 'document', 'a deal links to its document')
    await page.locator('[data-test="report-list"] .el-table__row').first().click()
    await page.waitForURL((u) => u.pathname === `/documents/${first._link.id}`)
    await page.locator('[data-test="document-number"]').waitFor()
  })

  it('phone: a salesperson\'s portal stacks and shows only "my" reports (English)', TEST, async () => {
    const { portal, catalogue } = await withApi('sales1', async (s) => ({
      portal: (await ok(await s.get('/portal'), 'portal')).items,
      catalogue: (await ok(await s.get('/reports'), 'reports')).reports
    }))
    assert.ok(portal.length > 0, 'a salesperson has a portal')
    const byName = new Map(catalogue.map((r) => [r.name, r]))
    for (const item of portal) assert.ok(byName.get(item.report)?.mine, `${item.report} is one of "my" reports`)
    assert.ok(!byName.has('s06_business_per_staff'), 'the team reports are not offered to a salesperson')

    await userFacts('sales1')
    const page = await openPage(PHONE)
    await login(page, 'sales1')
    await chooseLanguage(page, 'en')
    await page.locator('.portal__title', { hasText: 'Business portal' }).waitFor()
    const boxes = []
    for (const item of portal) {
      const card = page.locator(`[data-test="portal-item-${item.report}"]`)
      await card.locator('[data-test="chart-canvas"], .data-list').first().waitFor()
      const title = await card.locator('.portal__card-title').innerText()
      assert.ok(!hasChinese(title), `the card title is in English: ${title}`)
      boxes.push(await card.boundingBox())
    }
    // Stacked: every card the full width, one under the other, whatever its PC span.
    for (let i = 0; i < boxes.length; i++) {
      assert.ok(boxes[i].width > 300, `card ${portal[i].report} takes the width (${boxes[i].width})`)
      assert.ok(Math.abs(boxes[i].x - boxes[0].x) < 1, 'cards start at the same left edge')
      if (i > 0) assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height, 'each card is under the one before')
    }
    assert.ok((await pageWidth(page)) <= 375, `the portal is ${await pageWidth(page)} px wide`)
    await screenshot(page, 'reports-portal-phone-en')

    // The catalogue shows "my" reports and nothing of the team's.
    await page.goto('/reports')
    await page.locator('[data-test="report-group-mine"]').waitFor()
    assert.equal(await page.locator('[data-test="report-entry-s06_business_per_staff"]').count(), 0)
    for (const item of portal) await page.locator(`[data-test="report-group-mine"] [data-test="report-entry-${item.report}"]`).waitFor()
    assert.equal(await page.locator('[data-test="report-new"]').count(), 0, 'a salesperson cannot design reports')
    assert.ok((await pageWidth(page)) <= 375, `the catalogue is ${await pageWidth(page)} px wide`)
  })

  it('PC: an admin builds a report in the page and sees the expected rows; a broken definition gets a clear error', TEST, async () => {
    const expected = await withApi('admin', async (s) => ok(await s.get('/reports/s14_customers_type'), 's14'))
    await userFacts('admin')
    const page = await openPage(PC)
    await login(page, 'admin')

    // Customers per type, counted: the same figures as the built-in S14.
    const name = `c_e2e_${RUN}`
    await page.goto('/reports/new')
    await page.locator('[data-test="builder-source"]').waitFor()
    await page.locator('[data-test="builder-name"]').fill(name)
    await page.locator('[data-test="builder-title-zh"]').fill(`按类型统计客户 ${RUN}`)
    await page.locator('[data-test="builder-title-en"]').fill(`Customers by type ${RUN}`)
    await page.locator('[data-test="builder-kind-stat"]').click()
    await page.locator('[data-test="builder-source"]').click()
    await page.locator('[data-test="builder-source-customers"]').click()
    await page.locator('[data-test="builder-group"]').click()
    await page.locator('[data-test="builder-group-type"]').click()
    await page.keyboard.press('Escape')
    await page.locator('[data-test="builder-add-measure"]').click()
    await page.locator('[data-test="builder-chart-pie"]').click()
    const saved = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports' && r.request().method() === 'POST')
    const shown = reportAnswer(page, name)
    await page.locator('[data-test="builder-save"]').click()
    const res = await saved
    assert.equal(res.status(), 201, `POST /reports: ${await res.text()}`)
    await page.waitForURL((u) => u.pathname === `/reports/${name}`)
    const mine = await shown
    assert.equal(mine.title, `按类型统计客户 ${RUN}`)
    const countKey = mine.columns.find((c) => c.type === 'int').key
    const got = mine.rows.map((r) => `${r.type}=${r[countKey]}`).sort()
    const want = expected.rows.map((r) => `${r.type}=${r.customers}`).sort()
    assert.deepEqual(got, want, 'the new report counts the customers of each type as S14 does')
    await page.locator('[data-test="report-list"] .el-table__row').nth(want.length - 1).waitFor()
    assert.equal(await page.locator('[data-test="report-list"] .el-table__row').count(), want.length)
    await page.locator(`[data-test="chart-${name}"] [data-test="chart-canvas"]`).waitFor()
    await screenshot(page, 'reports-builder-result-pc')

    // A copy of the monthly line chart (S8) without its "from" filter: a month pivot
    // needs both dates, so the server refuses it and says why, in English.
    await chooseLanguage(page, 'en')
    const copied = page.waitForResponse((r) => r.url().endsWith('/api/v1/reports/s08_deal_amount_staff_year/definition'))
    await page.goto('/reports/new?copy=s08_deal_amount_staff_year')
    await copied
    await page.locator('[data-test="builder-filters"] .el-tag', { hasText: /^From$/ }).waitFor()
    await page.locator('[data-test="builder-filters"] .el-tag', { hasText: /^From$/ }).locator('.el-tag__close').click()
    await page.locator('[data-test="builder-filters"] .el-tag', { hasText: /^From$/ }).waitFor({ state: 'detached' })
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports' && r.request().method() === 'POST')
    await page.locator('[data-test="builder-save"]').click()
    const bad = await refused
    assert.equal(bad.status(), 422)
    const error = (await bad.json()).error
    assert.equal(error.code, 'report_invalid')
    const alert = page.locator('[data-test="builder-error"]')
    await alert.waitFor()
    const text = await alert.innerText()
    assert.ok(text.includes(error.message), `the page shows the server's message: ${text}`)
    assert.match(text, /from/, 'the message names the missing filter')
    assert.ok(!hasChinese(text), `the message is in English: ${text}`)
    assert.equal(error.field, 'pivot')
    // ... and next to the part of the form it is about.
    const beside = page.locator('.el-form-item', { has: page.locator('[data-test="builder-pivot"]') }).locator('.el-form-item__error')
    assert.equal((await beside.innerText()).trim(), error.message)
    assert.equal(new URL(page.url()).pathname, '/reports/new', 'nothing was saved')
    await screenshot(page, 'reports-builder-error-pc-en')

    // The other reports keep working.
    const again = reportAnswer(page, 's14_customers_type')
    await page.goto('/reports/s14_customers_type')
    assert.equal((await again).total, expected.total)
    await page.locator('[data-test="report-list"] .el-table__row').first().waitFor()
  })
})
