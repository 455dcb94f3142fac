// Browser tests of the application shell: login, menu, language, logout, session end,
// phone layout. Runs against a live stack: CRM_URL=http://127.0.0.1:8080 node --test tests/e2e/
// Screenshots go to $CRM_SCREENSHOTS when it is set.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  BASE,
  DEVICES,
  STEP_TIMEOUT,
  areaLabels,
  chooseLanguage,
  closeMenu,
  hasChinese,
  launchBrowser,
  login,
  loginViaForm,
  logout,
  killSession,
  newPage,
  openMenu,
  pageWidth,
  screenshot,
  serverAvailable,
  userFacts
} from './support.mjs'

const TEST = { timeout: 90000 }

// Every menu label (areas and items) a user's menu contains, in one language.
const allLabels = (menu, lang) => menu.flatMap((a) => [a[lang], ...a.children.map((c) => c[lang])])

// What a manager's menu has that a salesperson's has not: whole areas, or items.
function managerOnly(managerMenu, salesMenu) {
  const salesAreas = new Map(salesMenu.map((a) => [a.key, new Set(a.children.map((c) => c.key))]))
  const out = []
  for (const area of managerMenu) {
    const salesItems = salesAreas.get(area.key)
    if (!salesItems) out.push({ area, item: null })
    else for (const item of area.children) if (!salesItems.has(item.key)) out.push({ area, item })
  }
  return out
}

describe('CRM shell in the browser', () => {
  let browser

  before(async () => {
    assert.ok(await serverAvailable(), `the CRM stack does not answer at ${BASE}/api/v1/health (set CRM_URL)`)
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
  })

  for (const device of DEVICES) {
    describe(`at ${device.name}`, () => {
      let context
      let page

      beforeEach(async () => {
        ;({ context, page } = await newPage(browser, device))
      })

      afterEach(async () => {
        await context?.close()
      })

      it('a salesperson logs in, sees name and menu, switches to English, reloads, logs out', TEST, async () => {
        const { user, menu } = await userFacts('sales1')
        assert.ok(menu.length > 0, 'the server gives sales1 an empty menu')

        // Not logged in: any page leads to the login page, in Chinese.
        await page.goto('/customers')
        await page.waitForURL((u) => u.pathname === '/login')
        assert.equal(new URL(page.url()).searchParams.get('redirect'), '/customers')
        assert.equal(await page.locator('[data-test="login-title"]').innerText(), '协同客户管理')
        await screenshot(page, `login-${device.tag}`)

        // A double click (PC) or Enter (phone) sends exactly one login request.
        let posts = 0
        page.on('request', (r) => {
          if (r.method() === 'POST' && r.url().endsWith('/api/v1/session')) posts++
        })
        await page.goto('/login')
        const res = await loginViaForm(page, 'sales1', { submit: device.phone ? 'enter' : 'dblclick' })
        assert.equal(res.status(), 200, `login answered ${res.status()} ${await res.text()}`)
        assert.ok(res.request().headers()['idempotency-key'], 'login POST carries an Idempotency-Key')
        await page.locator('[data-test="home-welcome"]').waitFor()
        assert.equal(posts, 1, 'one login request per submit')
        assert.equal(new URL(page.url()).pathname, '/')

        // Name, role and department on the home page; the name in the header on a PC.
        assert.match(await page.locator('[data-test="home-welcome"]').innerText(), new RegExp(user.name))
        assert.equal(await page.locator('[data-test="home-role"]').innerText(), '业务人员')
        if (user.department) {
          assert.equal(await page.locator('[data-test="home-department"]').innerText(), user.department.name)
        }
        if (!device.phone) assert.equal(await page.locator('[data-test="user-name"]').innerText(), user.name)
        await screenshot(page, `home-${device.tag}`)

        // The menu shows the server's areas in Chinese; on a phone only in the drawer.
        if (device.phone) {
          assert.equal(await page.locator('[data-test="side-menu"]').count(), 0, 'no side bar on a phone')
        }
        let nav = await openMenu(page, device)
        assert.deepEqual(await areaLabels(nav), menu.map((a) => a.zh))
        if (device.phone) await screenshot(page, 'menu-phone')

        // A menu item opens its page, titled with the item's name (the reports area's
        // first item: the business portal, issue 6).
        const area = menu.find((a) => a.key === 'reports') || menu.find((a) => a.children.length > 0)
        const item = area.children[0]
        await nav.locator(`[data-test="menu-area-${area.key}"] > .el-sub-menu__title`).click()
        await nav.locator(`[data-test="menu-item-${item.key}"]`).click()
        await page.waitForURL((u) => u.pathname === item.path)
        assert.match(await page.locator('[data-test="page-title"]').innerText(), new RegExp(item.zh))
        if (device.phone) {
          await page.locator('.el-drawer [data-test="side-menu"]').waitFor({ state: 'hidden' })
        }

        // English: menu labels from the server's "en" fields, page text too.
        await chooseLanguage(page, 'en', { saved: true })
        assert.match(await page.locator('[data-test="page-title"]').innerText(), new RegExp(item.en))
        nav = await openMenu(page, device)
        assert.deepEqual(await areaLabels(nav), menu.map((a) => a.en))
        await nav.locator('[data-test="menu-home"]').click()
        await page.waitForURL((u) => u.pathname === '/')
        if (device.phone) await page.locator('.el-drawer [data-test="side-menu"]').waitFor({ state: 'hidden' })
        else await page.locator('[data-test="menu-home"].is-active').waitFor()
        assert.equal(await page.locator('[data-test="home-role"]').innerText(), 'Salesperson')
        if (!device.phone) await screenshot(page, 'home-en-pc')

        // A reload keeps the session and the language (stored on the account).
        await page.reload()
        await page.locator('[data-test="home-welcome"]').waitFor()
        assert.match(await page.locator('[data-test="home-welcome"]').innerText(), /^Welcome, /)
        assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
        nav = await openMenu(page, device)
        assert.deepEqual(await areaLabels(nav), menu.map((a) => a.en))
        await closeMenu(page, device)

        // Log out: back on the login page, still in English, and the session is gone.
        await logout(page)
        await page.locator('[data-test="login-notice-loggedOut"]').waitFor()
        assert.equal(await page.locator('[data-test="login-title"]').innerText(), 'Sales CRM')
        assert.equal((await page.request.get('/api/v1/me', { timeout: STEP_TIMEOUT })).status(), 401)
        await page.goto('/')
        await page.waitForURL((u) => u.pathname === '/login')

        await userFacts('sales1') // puts the stored language back to zh-CN
      })

      it('a manager sees a menu area or item that a salesperson does not', TEST, async () => {
        const sales = await userFacts('sales2')
        const manager = await userFacts('manager1')
        const extra = managerOnly(manager.menu, sales.menu)
        assert.ok(
          extra.length > 0,
          'rules/menu.lua gives manager1 nothing that sales2 lacks (customer management / 客户管理 should be managers-only)'
        )
        const { area, item } = extra[0]
        const wanted = item ? item.zh : area.zh
        assert.ok(!allLabels(sales.menu, 'zh').includes(wanted), `"${wanted}" is in the salesperson's menu too`)

        // The salesperson's page does not offer it.
        await login(page, 'sales2')
        let nav = await openMenu(page, device)
        const salesTexts = await nav.locator('.el-menu-item, [data-test="menu-area-label"]').allTextContents()
        assert.ok(salesTexts.length > 0)
        assert.ok(!salesTexts.map((s) => s.trim()).includes(wanted), `sales2 sees "${wanted}"`)
        await closeMenu(page, device)
        await logout(page)

        // The manager's does.
        await loginViaForm(page, 'manager1')
        await page.locator('[data-test="home-welcome"]').waitFor()
        assert.equal(await page.locator('[data-test="home-role"]').innerText(), '销售经理')
        nav = await openMenu(page, device)
        const areaTitle = nav.locator(`[data-test="menu-area-${area.key}"] > .el-sub-menu__title`)
        assert.equal((await areaTitle.innerText()).trim(), area.zh)
        if (item) {
          await areaTitle.click()
          const entry = nav.locator(`[data-test="menu-area-${area.key}"] [data-test="menu-item-${item.key}"]`)
          await entry.waitFor({ state: 'visible' })
          assert.equal((await entry.innerText()).trim(), item.zh)
        }
      })

      it('a wrong password shows the server message in the current language', TEST, async () => {
        const victim = device.phone ? 'sales6' : 'sales5'
        await page.goto('/login')

        const zh = await loginViaForm(page, victim, { password: 'wrong-password-e2e' })
        assert.equal(zh.status(), 401, `expected 401 bad_login, got ${zh.status()} (account locked by earlier runs?)`)
        const zhError = (await zh.json()).error
        assert.equal(zhError.code, 'bad_login')
        const zhShown = page.locator('[data-test="login-error"]')
        await zhShown.waitFor()
        assert.equal((await zhShown.innerText()).trim(), zhError.message)
        assert.ok(hasChinese(zhError.message), `Chinese UI, message "${zhError.message}"`)
        assert.equal(new URL(page.url()).pathname, '/login')

        await chooseLanguage(page, 'en')
        const en = await loginViaForm(page, victim, { password: 'wrong-password-e2e', submit: 'enter' })
        assert.equal(en.status(), 401, `expected 401 bad_login, got ${en.status()} ${await en.text()}`)
        const enError = (await en.json()).error
        await page.waitForFunction(
          (m) => document.querySelector('[data-test="login-error"]')?.innerText.trim() === m,
          enError.message
        )
        assert.ok(!hasChinese(enError.message) && /[a-z]/i.test(enError.message), `English UI, message "${enError.message}"`)
        assert.notEqual(enError.message, zhError.message)

        // The right password still works afterwards (and clears the failure count).
        const ok = await loginViaForm(page, victim)
        assert.equal(ok.status(), 200, `login answered ${ok.status()} ${await ok.text()}`)
        await page.locator('[data-test="home-welcome"]').waitFor()
      })

      it('a session ended on the server leads to the login page with "session ended"', TEST, async () => {
        await login(page, 'sales3')
        await page.goto('/account')
        await page.locator('[data-test="password-form"]').waitFor()

        // Ended on the server, then a page load: the login page explains it.
        await killSession(page)
        await page.goto('/account')
        await page.waitForURL((u) => u.pathname === '/login')
        assert.equal(new URL(page.url()).searchParams.get('redirect'), '/account')
        const notice = page.locator('[data-test="login-notice-sessionEnded"]')
        await notice.waitFor()
        assert.equal((await notice.innerText()).trim(), '会话已结束，请重新登录')

        // Logging in again returns to the page the user was on.
        await loginViaForm(page, 'sales3')
        await page.waitForURL((u) => u.pathname === '/account')
        await page.locator('[data-test="password-form"]').waitFor()

        // Cookie gone, then an action that calls the API: same, in the UI language.
        await context.clearCookies()
        await page.locator('[data-test="lang-switch"]').click()
        await page.locator('[data-test="lang-option-en"]').click()
        await page.waitForURL((u) => u.pathname === '/login')
        const again = page.locator('[data-test="login-notice-sessionEnded"]')
        await again.waitFor()
        assert.equal((await again.innerText()).trim(), 'Your session has ended, please log in again')
      })

      if (device.phone) {
        it('pages fit a 375 px wide phone without horizontal scrolling', TEST, async () => {
          const { menu } = await userFacts('sales4')
          await page.goto('/login')
          await page.locator('[data-test="login-form"]').waitFor()
          assert.ok((await pageWidth(page)) <= 375, `login page is ${await pageWidth(page)} px wide`)

          await login(page, 'sales4')
          assert.ok((await pageWidth(page)) <= 375, `home page is ${await pageWidth(page)} px wide`)
          await chooseLanguage(page, 'en', { saved: true })
          assert.ok((await pageWidth(page)) <= 375, `English home page is ${await pageWidth(page)} px wide`)

          for (const path of ['/account', menu[0].children[0]?.path].filter(Boolean)) {
            await page.goto(path)
            await page.locator('[data-test="content"]').waitFor()
            assert.ok((await pageWidth(page)) <= 375, `${path} is ${await pageWidth(page)} px wide`)
          }
          await userFacts('sales4')
        })
      }
    })
  }
})
