// Session and account endpoints (docs/api.md): login, logout, me, password, language,
// and the menu the server has filtered for the user's role.
import { get, post, put, del } from './request'

// login -> {user, csrf_token}; a wrong password is the caller's to show (silent).
export const login = (name, password) =>
  post('/session', { login: name, password }, { silent: true, sessionCheck: false })

// logout ends the session on the server; a session already gone is not an error.
export const logout = () => del('/session', { silent: true, sessionCheck: false })

// me -> {user, csrf_token}; 401 when there is no live session (checked by the caller).
export const me = () => get('/me', { silent: true, sessionCheck: false })

// changePassword -> null (204); errors carry field/code for the form to show.
export const changePassword = (oldPassword, newPassword) =>
  put('/me/password', { old_password: oldPassword, new_password: newPassword }, { silent: true })

// setLang -> {user}
export const setLang = (lang) => put('/me/lang', { lang })

// menu -> {menu: [{key, zh, en, icon, children: [{key, zh, en, path}]}]}
export const menu = () => get('/menu')
