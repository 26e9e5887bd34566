import { ApiErrorSchema } from '../../shared/errors'
import { HomeworkFileSchema, homeworkFileName, homeworkFileProblem, type HomeworkFile, type HomeworkFileProblem } from '../../shared/students/homework'
import { ApiRequestError } from '../lesson/ApiRequestError'

/** Why an upload was refused, in the words the screens use (records.files.problem.*). */
export type HomeworkUploadProblem = HomeworkFileProblem | 'count' | 'closed'

/** A file the app or the server would not take, for a reason the person can act on. */
export class HomeworkFileError extends Error {
  constructor(readonly problem: HomeworkUploadProblem) {
    super(`homework file refused: ${problem}`)
    this.name = 'HomeworkFileError'
  }
}

/** The server's refusal of an upload as a problem the person can act on, else null (other errors read as usual). */
function problemOf(status: number, code: string | undefined): HomeworkUploadProblem | null {
  if (status === 413) return 'size'
  if (status === 415) return 'type'
  if (status === 409) return code === 'homework_closed' ? 'closed' : 'count'
  return null
}

/**
 * Sends one homework file (a photo or PDF) to `path` with the bearer (a
 * tutor key or the student's code), reporting progress 0..1. Checked here
 * first (size, type), so a person hears at once what is wrong; the server
 * checks the bytes again. XMLHttpRequest, not fetch: fetch reports no
 * upload progress.
 */
export function uploadHomeworkFile(server: string, path: string, bearer: string, file: File, onProgress: (fraction: number) => void): Promise<HomeworkFile> {
  const problem = homeworkFileProblem(file)
  if (problem) return Promise.reject(new HomeworkFileError(problem))
  const url = new URL(path, server)
  url.searchParams.set('name', homeworkFileName(file.name))
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Authorization', `Bearer ${bearer}`)
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.timeout = 5 * 60_000
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    }
    const network = () => reject(new ApiRequestError('network', 'upload failed', server))
    xhr.onerror = network
    xhr.ontimeout = network
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        // not JSON: judged by the status below
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = HomeworkFileSchema.safeParse(body)
        if (parsed.success) {
          onProgress(1)
          resolve(parsed.data)
        } else reject(new ApiRequestError('unexpected', 'The server sent a reply Duet does not understand.', server))
        return
      }
      const error = ApiErrorSchema.safeParse(body)
      const code = error.success ? error.data.error.code : undefined
      const refused = problemOf(xhr.status, code)
      if (refused) reject(new HomeworkFileError(refused))
      else reject(new ApiRequestError(code ?? 'unexpected', `HTTP ${xhr.status}`, server))
    }
    xhr.send(file)
  })
}

/** A homework file's bytes (read with the tutor's key or the student's code), as a Blob of its checked type. */
export async function homeworkFileBlob(server: string, homeworkId: string, file: HomeworkFile, bearer: string): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(new URL(`/api/homework/${encodeURIComponent(homeworkId)}/files/${encodeURIComponent(file.id)}`, server), {
      headers: { Authorization: `Bearer ${bearer}` },
      signal: AbortSignal.timeout(60_000),
    })
  } catch (error) {
    throw new ApiRequestError('network', String(error), server)
  }
  if (!res.ok) {
    const error = ApiErrorSchema.safeParse(await res.json().catch(() => null))
    throw new ApiRequestError(error.success ? error.data.error.code : 'not_found', `HTTP ${res.status}`, server)
  }
  return new Blob([await res.arrayBuffer()], { type: file.contentType })
}
