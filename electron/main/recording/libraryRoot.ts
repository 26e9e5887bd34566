import { isAbsolute, join } from 'node:path'

export interface LibraryRootDeps {
  /** The RecordingFolder policy, if set. */
  policyFolder: string | undefined
  /** <userData>/library */
  defaultRoot: string
  home: string
  /** fs.mkdirSync(path, { recursive: true }) */
  mkdir(path: string): void
  /** Creates and removes a file there; throws when the folder cannot be written. */
  probeWrite(path: string): void
}

/**
 * Where the lesson library lives: the school's RecordingFolder (~ is the
 * user's home) when it is an absolute path Duet can create and write,
 * otherwise the default folder, with the reason the school's folder was not
 * used (Settings shows it, the log records it).
 */
export function resolveLibraryRoot(deps: LibraryRootDeps): { root: string; problem: string | null } {
  const raw = deps.policyFolder
  if (raw === undefined) return { root: deps.defaultRoot, problem: null }
  const folder = raw === '~' ? deps.home : raw.startsWith('~/') || raw.startsWith('~\\') ? join(deps.home, raw.slice(2)) : raw
  if (!isAbsolute(folder)) return { root: deps.defaultRoot, problem: `"${raw}" is not an absolute path; recordings stay in ${deps.defaultRoot}` }
  try {
    deps.mkdir(folder)
    deps.probeWrite(folder)
    return { root: folder, problem: null }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return { root: deps.defaultRoot, problem: `${folder} cannot be used (${why}); recordings stay in ${deps.defaultRoot}` }
  }
}
