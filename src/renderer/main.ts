import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import { createHost } from './host'
import { provideHost } from './host/current'
import { applyLinkPolicy } from './records/linkPolicy'
import { startStudentReminders } from './records/startReminders'
import { createAppRouter } from './router'
import { usePolicyStore } from './settings/stores/policyStore'
import { useSettingsStore } from './settings/stores/settingsStore'
import { useNavigationStore } from './ui/stores/navigationStore'
import './ui/main.css'

async function start(): Promise<void> {
  const host = createHost()
  provideHost(host)
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  app.use(i18n)
  await Promise.all([useSettingsStore(pinia).load(), usePolicyStore(pinia).load()])
  // A computer students share (KeepStudentLinks off) forgets their links before home first shows.
  applyLinkPolicy()
  const router = createAppRouter()
  app.use(router)
  useNavigationStore(pinia).watchRouter(router)
  app.config.errorHandler = (error, _instance, info) => console.error('[duet] unhandled error in', info, error)
  app.mount('#app')
  // A student's device: reminders before planned lessons and after a quiet week.
  startStudentReminders(host)
}

void start()
