import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './stores/session'
import HomeView from './views/HomeView.vue'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomeView },
  { path: '/join/:code', name: 'join', component: () => import('./views/JoinView.vue'), props: true },
  { path: '/lesson/check', name: 'check', component: () => import('./views/DeviceCheckView.vue'), meta: { needsPass: true } },
  { path: '/lesson/room', name: 'room', component: () => import('./views/LessonRoomView.vue'), meta: { needsPass: true } },
  { path: '/lesson/summary', name: 'summary', component: () => import('./views/SummaryView.vue') },
  { path: '/library', name: 'library', component: () => import('./views/LibraryView.vue') },
  { path: '/practice', name: 'practice', component: () => import('./views/AiPracticeView.vue') },
  { path: '/settings/ai', name: 'aiSettings', component: () => import('./views/AiSettingsView.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach((to) => {
    if (to.meta.needsPass && !useSessionStore().pass) return { name: 'home' }
    return true
  })
  return router
}
