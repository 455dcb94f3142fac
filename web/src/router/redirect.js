// Where to go after login: only a path inside this app (no "//host" or "https:" that
// would turn ?redirect= into an open redirect), and never back to the login page.
export function safeRedirect(target) {
  const path = Array.isArray(target) ? target[0] : target
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return '/'
  if (path.includes('\\') || path.startsWith('/login')) return '/'
  return path
}

// loginLocation returns the login route that comes back to `fullPath` afterwards.
export function loginLocation(fullPath) {
  const back = safeRedirect(fullPath)
  return { name: 'login', query: back === '/' ? {} : { redirect: back } }
}
