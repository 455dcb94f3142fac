// Browser tests of the customer import and export (issue 7): the admin opens
// 客户导入 from the menu, uploads a CSV, reads the pre-check (the bad row with its
// row and column), imports the good rows with a progress bar, sees the new customers
// with their numbers and opens one; the page speaks English too; the Export button is
// on the customer list for an admin and not for a salesperson; at phone width the
// import page does not scroll sideways.
// Runs against a live stack: CRM_URL=http://127.0.0.1:8080 node --test tests/e2e/import.test.mjs
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  DEVICES,
  chooseLanguage,
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
const RUN = Date.now().toString(36)

// A small customer file as Excel users save it: UTF-8 with a BOM, CRLF.
function customerFile() {
  const rows = [
    '客户名称,地址,联系人,联系电话,区域,客户类型,客户来源,销售阶段,客户状态,负责人登录名',
    `浏览器导入${RUN}甲,南京市鼓楼区1号,周先生,025-83331111,华东,大型企业,展会,初步接触,潜在,sales1`,
    `浏览器导入${RUN}乙,南京市鼓楼区2号,吴女士,025-83332222,East China,gov_agency,referral,,,`,
    `浏览器导入${RUN}丙,南京市鼓楼区3号,郑先生,025-83333333,月球,大型企业,展会,,,`,
    `浏览器导入${RUN}丁,南京市鼓楼区4号,王女士,025-83334444,华东,个人客户,其他,,,sales2`
  ]
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows.join('\r\n') + '\r\n', 'utf8')])
}

describe('customer import and export in the browser', () => {
  let browser
  const contexts = []

  before(async () => {
    assert.ok(await serverAvailable(), 'the CRM stack does not answer (set CRM_URL)')
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    while (contexts.length) await contexts.pop().close()
  })

  async function pageAs(device, who) {
    await userFacts(who) // starts in Chinese
    const { context, page } = await newPage(browser, device)
    contexts.push(context)
    await login(page, who)
    return page
  }

  it('an admin uploads a file, reads the pre-check, imports the good rows and opens a new customer', TEST, async () => {
    const page = await pageAs(PC, 'admin')
    const menu = await openMenu(page, PC)
    const item = menu.locator('[data-test="menu-item-customers_import"]')
    if (!(await item.isVisible())) await menu.locator('[data-test="menu-area-customers"] > .el-sub-menu__title').click()
    assert.equal((await item.innerText()).trim(), '客户导入')
    await item.click()
    await page.waitForURL((u) => u.pathname === '/customers/import')
    await page.locator('[data-test="import-page"]').waitFor()
    assert.match(await page.locator('[data-test="template-xlsx"]').getAttribute('href'), /template\?format=xlsx/)
    assert.match(await page.locator('[data-test="template-csv"]').getAttribute('href'), /template\?format=csv/)

    await page.locator('[data-test="import-file"]').setInputFiles({ name: `客户${RUN}.csv`, mimeType: 'text/csv', buffer: customerFile() })
    const pre = page.locator('[data-test="import-precheck"]')
    await pre.waitFor()
    assert.equal((await page.locator('[data-test="precheck-total"]').innerText()).trim(), '4')
    assert.equal((await page.locator('[data-test="precheck-good"]').innerText()).trim(), '3')
    assert.equal((await page.locator('[data-test="precheck-bad"]').innerText()).trim(), '1')
    const problems = await page.locator('[data-test="precheck-problems"]').innerText()
    assert.match(problems, /4/, 'the row of the problem')
    assert.match(problems, /E \(区域\)/, 'its column, as the spreadsheet names it')
    assert.match(problems, /区域不在可选范围内/)
    await screenshot(page, 'import-precheck-pc')

    // Rows have problems: "all rows" cannot be chosen, the good rows are.
    assert.ok(await page.locator('[data-test="mode-all"] input').isDisabled())
    assert.ok(await page.locator('[data-test="mode-good"] input').isChecked())
    await page.locator('[data-test="import-start"]').click()
    await page.locator('[data-test="import-done"]').waitFor()
    assert.match(await page.locator('[data-test="import-done"]').innerText(), /已导入 3 个客户/)
    assert.match(await page.locator('[data-test="import-range"]').innerText(), /C\d{8}-\d{4,}/)
    const created = page.locator('[data-test="import-created"]')
    await created.getByText(`浏览器导入${RUN}甲`).waitFor()
    const text = await created.innerText()
    assert.match(text, new RegExp(`浏览器导入${RUN}乙`))
    assert.doesNotMatch(text, new RegExp(`浏览器导入${RUN}丙`), 'the bad row was not imported')
    assert.match(text, /C\d{8}-\d{4,}/)
    await screenshot(page, 'import-result-pc')

    // The address keeps the upload: opening the page again shows the result.
    await page.reload()
    await page.locator('[data-test="import-done"]').waitFor()
    await chooseLanguage(page, 'en')
    assert.equal((await page.locator('[data-test="page-title"]').innerText()).trim(), 'Import customers')
    assert.match(await page.locator('[data-test="import-done"]').innerText(), /3 customers imported/)

    await created.getByText(`浏览器导入${RUN}甲`).click()
    await page.waitForURL((u) => /^\/customers\/\d+$/.test(u.pathname))
    await page.getByText(`浏览器导入${RUN}甲`).first().waitFor()
  })

  it('the Export button is on the customer list for an admin, and not for a salesperson', TEST, async () => {
    const admin = await pageAs(PC, 'admin')
    await admin.goto('/customers/admin')
    await admin.locator('[data-test="action-export"]').waitFor()
    const download = admin.waitForEvent('download')
    await admin.locator('[data-test="action-export"]').click()
    const file = await download
    assert.match(file.suggestedFilename(), /^customers-all-\d{4}-\d{2}-\d{2}\.xlsx$/)

    const sales = await pageAs(PC, 'sales1')
    await sales.goto('/customers/mine')
    await sales.locator('[data-test="customer-list"]').waitFor()
    assert.equal(await sales.locator('[data-test="action-export"]').count(), 0)
    // The import page is not theirs either.
    await sales.goto('/customers/import')
    await settled(sales)
    assert.equal(await sales.locator('[data-test="import-page"]').count(), 0)
  })

  it('at phone width the import page fits the screen', TEST, async () => {
    const page = await pageAs(PHONE, 'admin')
    await page.goto('/customers/import')
    await page.locator('[data-test="import-page"]').waitFor()
    await page.locator('[data-test="import-file"]').setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: customerFile() })
    await page.locator('[data-test="import-precheck"]').waitFor()
    await settled(page)
    assert.ok((await pageWidth(page)) <= 375 + 1, `no sideways scrolling: ${await pageWidth(page)}`)
    await screenshot(page, 'import-precheck-phone')
  })
})
