import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './lesson/stores/sessionStore'
import { usePolicyStore } from './settings/stores/policyStore'
import HomeView from './home/views/HomeView.vue'
// Not lazy: Leave and End must reach the summary even when the server the web client came from is gone.
import SummaryView from './lesson/views/SummaryView.vue'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomeView },
  { path: '/join/:code', name: 'join', component: () => import('./lesson/views/JoinView.vue'), props: true },
  { path: '/lesson/check', name: 'check', component: () => import('./lesson/views/DeviceCheckView.vue'), meta: { needsPass: true } },
  { path: '/lesson/room', name: 'room', component: () => import('./lesson/views/LessonRoomView.vue'), meta: { needsPass: true } },
  { path: '/lesson/summary', name: 'summary', component: SummaryView },
  { path: '/library', name: 'library', component: () => import('./recording/views/LibraryView.vue') },
  { path: '/practice', name: 'practice', component: () => import('./ai/views/AiPracticeView.vue') },
  { path: '/students', name: 'roster', component: () => import('./records/views/RosterView.vue') },
  { path: '/students/warnings', name: 'warningSettings', component: () => import('./records/views/WarningSettingsView.vue') },
  { path: '/students/:id', name: 'student', component: () => import('./records/views/StudentView.vue'), props: true },
  // A student's personal link (<server>/me/<code>): "My lessons with <tutor>".
  { path: '/me/:code', name: 'myLessons', component: () => import('./records/views/MyLessonsView.vue'), props: true },
  { path: '/settings', name: 'settings', component: () => import('./settings/views/SettingsView.vue') },
  { path: '/settings/ai', name: 'aiSettings', component: () => import('./ai/views/AiSettingsView.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach((to) => {
    if (to.meta.needsPass && !useSessionStore().pass) return { name: 'home' }
    // The school turned Ask AI outside lessons off (AskAiOutsideLessons).
    if (to.name === 'practice' && !usePolicyStore().policy.askAiOutsideLessons) return { name: 'home' }
    return true
  })
  return router
}
