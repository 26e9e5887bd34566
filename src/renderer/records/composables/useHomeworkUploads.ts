import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { MAX_HOMEWORK_FILE_BYTES, MAX_HOMEWORK_FILES, type HomeworkFileProblem } from '../../../shared/students/homework'
import { formatBytes } from '../../ui/format'
import { useErrorText } from '../../ui/composables/useErrorText'
import { HomeworkFileError, type HomeworkUploadProblem } from '../homeworkFiles'

/** How the uploads picked in one place go: the file on its way and how far, and the last refusal in words. */
export interface UploadState {
  progress: { name: string; percent: number } | null
  problem: string
}

/** Upload one file, reporting progress 0..1. */
export type UploadFile = (file: File, onProgress: (fraction: number) => void) => Promise<unknown>

/**
 * Homework files on their way to the server, one after another: which file
 * and how far (`progress`), and what went wrong in words (`problem`), the
 * app's own check and the server's refusal alike.
 */
export function useHomeworkUploads() {
  const { t } = useI18n()
  const errorText = useErrorText()
  const progress = ref<{ name: string; percent: number } | null>(null)
  const problem = ref('')
  /** Where the files were picked (a homework item's id, or the assign form): its picker shows how they go. */
  const where = ref<string | null>(null)

  /** A file's problem in one sentence (en / zh-CN). */
  function problemText(reason: HomeworkUploadProblem | HomeworkFileProblem, file: Pick<File, 'name' | 'size'>): string {
    return t(`records.files.problem.${reason}`, { name: file.name, size: formatBytes(file.size), limit: formatBytes(MAX_HOMEWORK_FILE_BYTES), n: MAX_HOMEWORK_FILES })
  }

  /** Sends the files picked at `at` with `upload`; resolves true when every one went through (it stops at the first refusal). */
  async function run(at: string, files: readonly File[], upload: UploadFile): Promise<boolean> {
    where.value = at
    problem.value = ''
    try {
      for (const file of files) {
        progress.value = { name: file.name, percent: 0 }
        try {
          await upload(file, (fraction) => (progress.value = { name: file.name, percent: Math.round(fraction * 100) }))
        } catch (error) {
          problem.value = error instanceof HomeworkFileError ? problemText(error.problem, file) : errorText(error)
          return false
        }
      }
      return true
    } finally {
      progress.value = null
    }
  }

  /** What the picker at `at` shows: the upload under way there and the last refusal. */
  function stateAt(at: string): UploadState {
    return where.value === at ? { progress: progress.value, problem: problem.value } : { progress: null, problem: '' }
  }

  return { problemText, run, stateAt }
}
