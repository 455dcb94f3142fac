// Navigation guard: restore the session once at start (/me), keep logged-out users on
// the login page (remembering where they wanted to go), and keep logged-in users off it.
import { useSessionStore } from '@/stores/session'
import { loginLocation, safeRedirect } from './redirect'

export function installGuard(router) {
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    await session.ensureChecked()
    if (to.meta.public) {
      return session.loggedIn && to.name === 'login' ? safeRedirect(to.query.redirect) : true
    }
    return session.loggedIn ? true : loginLocation(to.fullPath)
  })
}
