// Shared helpers for the browser tests: launching Debian's Chromium through
// playwright-core (taken from web/node_modules, so there is one lockfile), the two
// device profiles, API shortcuts that share the page's cookies, and screenshots.
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import path from 'node:path'

const require = createRequire(new URL('../../web/package.json', import.meta.url))
const { chromium, request } = require('playwright-core')

export const BASE = (process.env.CRM_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
export const PASSWORD = 'demo-pass-2026'
// Every wait (actions, navigations, API calls) gives up after this, well inside a test's
// own time limit, so a hang is reported at the step that hung.
export const STEP_TIMEOUT = 15000
const SHOTS = process.env.CRM_SCREENSHOTS || ''

export const DEVICES = [
  { name: 'PC 1440x900', tag: 'pc', phone: false, options: { viewport: { width: 1440, height: 900 } } },
  {
    name: 'phone 375x812',
    tag: 'phone',
    phone: true,
    options: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
  }
]

// launchBrowser starts headless Chromium. launch() gives it a fresh temporary profile
// (--user-data-dir) of its own and deletes it on close; no browser is downloaded.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CRM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

// newPage opens a fresh context (no cookies, empty localStorage) in Chinese, the
// product's first language, sized for the device.
export async function newPage(browser, device) {
  const context = await browser.newContext({ ...device.options, locale: 'zh-CN', baseURL: BASE })
  context.setDefaultTimeout(STEP_TIMEOUT)
  const page = await context.newPage()
  return { context, page }
}

// serverAvailable tells whether the API answers its health check.
export async function serverAvailable() {
  try {
    const r = await fetch(`${BASE}/api/v1/health`)
    return r.status === 200 || r.status === 503
  } catch {
    return false
  }
}

// asUser runs fn(api) with an API-only session of `login` (its own cookie jar), then
// logs out: fixtures (reset a language) and expectations (the user's menu).
export async function asUser(login, fn) {
  const api = await request.newContext({
    baseURL: BASE,
    timeout: STEP_TIMEOUT,
    extraHTTPHeaders: { 'Accept-Language': 'zh-CN' }
  })
  try {
    const res = await api.post('/api/v1/session', { data: { login, password: PASSWORD } })
    if (res.status() !== 200) throw new Error(`API login as ${login}: ${res.status()} ${await res.text()}`)
    const { csrf_token: csrf } = await res.json()
    const result = await fn(api, csrf)
    await api.delete('/api/v1/session', { headers: { 'X-CSRF-Token': csrf } })
    return result
  } finally {
    await api.dispose()
  }
}

// userFacts returns {user, menu} as the server gives them to `login`, and puts the
// user's stored language back to zh-CN so every test starts from the same place.
export function userFacts(login) {
  return asUser(login, async (api, csrf) => {
    const me = await (await api.get('/api/v1/me')).json()
    if (me.user.lang !== 'zh-CN') {
      const r = await api.put('/api/v1/me/lang', { data: { lang: 'zh-CN' }, headers: { 'X-CSRF-Token': csrf } })
      if (r.status() !== 200) throw new Error(`reset language of ${login}: ${r.status()}`)
    }
    const menu = (await (await api.get('/api/v1/menu')).json()).menu
    return { user: { ...me.user, lang: 'zh-CN' }, menu }
  })
}

// loginViaForm fills the login form and submits it with Enter or a click.
export async function loginViaForm(page, login, { password = PASSWORD, submit = 'click' } = {}) {
  await page.locator('[data-test="login-user"]').fill(login)
  await page.locator('[data-test="login-pass"]').fill(password)
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST')
  if (submit === 'enter') await page.locator('[data-test="login-pass"]').press('Enter')
  else if (submit === 'dblclick') await page.locator('[data-test="login-submit"]').dblclick()
  else await page.locator('[data-test="login-submit"]').click()
  return answer
}

// login opens the login page, logs in and waits for the home page.
export async function login(page, name, options) {
  await page.goto('/login')
  const res = await loginViaForm(page, name, options)
  if (res.status() !== 200) throw new Error(`login as ${name}: ${res.status()} ${await res.text()}`)
  await page.locator('[data-test="home-welcome"]').waitFor()
}

// openMenu makes the navigation menu visible (on a phone: opens the drawer) and
// returns its locator.
export async function openMenu(page, device) {
  if (device.phone) {
    await page.locator('[data-test="menu-toggle"]').click()
    const drawer = page.locator('.el-drawer [data-test="side-menu"]')
    await drawer.waitFor({ state: 'visible' })
    await settled(page)
    return drawer
  }
  const menu = page.locator('[data-test="side-menu"]')
  await menu.waitFor({ state: 'visible' })
  return menu
}

// closeMenu closes the phone drawer (no-op on a PC).
export async function closeMenu(page, device) {
  if (!device.phone) return
  await page.keyboard.press('Escape')
  await page.locator('.el-drawer [data-test="side-menu"]').waitFor({ state: 'hidden' })
}

// areaLabels returns the visible area titles of an open menu.
export async function areaLabels(menu) {
  const labels = await menu.locator('[data-test="menu-area-label"]').allInnerTexts()
  return labels.map((s) => s.trim())
}

// chooseLanguage uses the header/login switch and waits until the page is in `lang`
// (and, when `saved`, until the server has stored it).
export async function chooseLanguage(page, lang, { saved = false } = {}) {
  const stored = saved
    ? page.waitForResponse((r) => r.url().endsWith('/api/v1/me/lang') && r.request().method() === 'PUT')
    : null
  await page.locator('[data-test="lang-switch"]').click()
  await page.locator(`[data-test="lang-option-${lang}"]`).click()
  await page.waitForFunction((l) => document.documentElement.lang === l, lang)
  if (stored) {
    const res = await stored
    if (res.status() !== 200) throw new Error(`PUT /me/lang: ${res.status()} ${await res.text()}`)
  }
}

// logout uses the user menu and waits for the login page.
export async function logout(page) {
  await page.locator('[data-test="user-menu"]').click()
  await page.locator('[data-test="logout"]').click()
  await page.waitForURL((u) => u.pathname === '/login')
}

// killSession ends the page's session on the server, as an idle timeout or a logout
// elsewhere would: DELETE /api/v1/session with the page's own cookie and CSRF token.
export async function killSession(page) {
  const timeout = STEP_TIMEOUT
  const me = await page.request.get('/api/v1/me', { timeout })
  if (me.status() !== 200) throw new Error(`GET /me before killing the session: ${me.status()}`)
  const { csrf_token: csrf } = await me.json()
  const res = await page.request.delete('/api/v1/session', { headers: { 'X-CSRF-Token': csrf }, timeout })
  if (res.status() !== 204) throw new Error(`DELETE /session: ${res.status()} ${await res.text()}`)
  const after = await page.request.get('/api/v1/me', { timeout })
  if (after.status() !== 401) throw new Error(`GET /me after DELETE /session: ${after.status()}, expected 401`)
}

// pageWidth returns how wide the document is, to catch horizontal overflow.
export function pageWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

// settled waits until no CSS transition or animation is running (drawer sliding in,
// menu highlight; endless spinners aside), so that what is asserted or photographed is the final state.
export function settled(page) {
  return page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)
  )
}

// screenshot saves <name>.png into $CRM_SCREENSHOTS when that is set.
export async function screenshot(page, name) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await settled(page)
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
}

export const hasChinese = (s) => /[\u4e00-\u9fff]/.test(s)

// apiSession(login) opens an API-only session of `login` (its own cookie jar) for
// fixtures and expectations: {user, get(path), post(path, body), close()}. get and post
// resolve to {status, json}; post sends the CSRF token and a fresh Idempotency-Key.
export async function apiSession(login) {
  const api = await request.newContext({
    baseURL: BASE,
    timeout: STEP_TIMEOUT,
    extraHTTPHeaders: { 'Accept-Language': 'zh-CN' }
  })
  const res = await api.post('/api/v1/session', { data: { login, password: PASSWORD } })
  if (res.status() !== 200) {
    await api.dispose()
    throw new Error(`API login as ${login}: ${res.status()} ${await res.text()}`)
  }
  const { csrf_token: csrf, user } = await res.json()
  const answer = async (r) => ({ status: r.status(), json: await r.json().catch(() => null) })
  let n = 0
  return {
    user,
    get: async (p) => answer(await api.get(`/api/v1${p}`)),
    post: async (p, body) =>
      answer(
        await api.post(`/api/v1${p}`, {
          data: body,
          headers: { 'X-CSRF-Token': csrf, 'Idempotency-Key': `e2e-${Date.now().toString(36)}-${++n}-${Math.random().toString(36).slice(2, 10)}` }
        })
      ),
    async close() {
      await api.delete('/api/v1/session', { headers: { 'X-CSRF-Token': csrf } }).catch(() => {})
      await api.dispose()
    }
  }
}
