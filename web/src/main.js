// Entry point: create the app, wire the API wrapper to the session store and router.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './locales'
import { router } from './router'
import { loginLocation } from './router/redirect'
import { configureRequest } from './api/request'
import { useSessionStore } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)

const session = useSessionStore(pinia)
configureRequest({
  csrfToken: () => session.csrfToken,
  onContact: () => session.touch(),
  // A request answered 401: the session has ended on the server (idle timeout,
  // logged out elsewhere, password changed, user disabled). Say so on the login page.
  onSessionEnded: () => {
    session.sessionEnded()
    const current = router.currentRoute.value
    if (current.name !== 'login') router.replace(loginLocation(current.fullPath))
  }
})

app.use(router)
app.mount('#app')
