import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useHost } from '../../host/current'
import { LocalLibrary, ServerLibrary, type LibraryItem, type LibrarySource } from '../librarySource'

/** When a lesson happened, for sorting and the date filter. */
export function lessonTime(item: LibraryItem): number {
  return item.record?.startedAt ?? item.record?.createdAt ?? item.recordings[0]?.startedAt ?? 0
}

/** Names and title in one lower-case string, for search. */
function searchable(item: LibraryItem): string {
  const r = item.record
  return [r?.title, r?.tutorName, r?.studentName, item.id].filter(Boolean).join(' ').toLowerCase()
}

/** Start of the day of a yyyy-mm-dd input, in local time; null when empty. */
function dayStart(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).getTime()
}

/** The library screen: the lessons, search by name and date, and the actions on one lesson. */
export const useLibraryStore = defineStore('library', () => {
  const items = ref<LibraryItem[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  const query = ref('')
  const from = ref('')
  const to = ref('')
  const source = shallowRef<LibrarySource | null>(null)

  async function ensureSource(): Promise<LibrarySource> {
    if (source.value) return source.value
    const host = useHost()
    source.value = host.recording.storage === 'local' ? new LocalLibrary(host) : new ServerLibrary((await host.app.lessonServer()).url)
    return source.value
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      items.value = await (await ensureSource()).list()
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    } finally {
      loading.value = false
    }
  }

  const filtered = computed(() => {
    const q = query.value.trim().toLowerCase()
    const start = dayStart(from.value)
    const endDay = dayStart(to.value)
    const end = endDay === null ? null : endDay + 86_400_000
    return items.value.filter((item) => {
      if (q && !searchable(item).includes(q)) return false
      const when = lessonTime(item)
      if (start !== null && when < start) return false
      if (end !== null && when >= end) return false
      return true
    })
  })

  /** Runs an action, then reloads; failures are shown, never thrown at the screen. */
  async function act(run: (s: LibrarySource) => Promise<unknown>): Promise<void> {
    error.value = null
    try {
      await run(await ensureSource())
      await load()
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    }
  }

  return {
    items,
    filtered,
    loading,
    error,
    query,
    from,
    to,
    source,
    load,
    ensureSource,
    rename: (item: LibraryItem, title: string) => act((s) => s.rename(item, title)),
    remove: (item: LibraryItem) => act((s) => s.remove(item)),
    reveal: (item: LibraryItem) => act((s) => s.reveal(item)),
    exportFile: (item: LibraryItem, file: string, format: 'original' | 'mp4') => act((s) => s.exportFile(item, file, format)),
    fileUrl: (item: LibraryItem, file: string) => source.value?.fileUrl(item, file) ?? '',
  }
})
