// `npm run build:server`: the standalone session server as one ES module, dist/server/main.mjs,
// which `npm run server` and the tests run with plain Node. Compiling TypeScript on every start
// (tsx) made each start seconds slower, more on a busy machine; packages stay in node_modules
// (external), so the bundle is only Duet's own code. Also imported by tests/support to build the
// server once per test process from the sources as they are.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SERVER_BUNDLE = resolve(root, 'dist/server/main.mjs')

/** Builds the bundle; written under another name and renamed, so a process starting the server never reads half a file. */
export async function buildServer(): Promise<string> {
  const result = await build({
    entryPoints: [resolve(root, 'src/server/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // A map beside it: `node --enable-source-maps` then reports errors at their TypeScript lines.
    sourcemap: 'linked',
    outfile: SERVER_BUNDLE,
    write: false,
    logLevel: 'warning',
  })
  mkdirSync(dirname(SERVER_BUNDLE), { recursive: true })
  // The map first, so that the module never points at a map that is not there yet.
  for (const file of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
    const partial = `${file.path}.${process.pid}.tmp`
    writeFileSync(partial, file.contents)
    renameSync(partial, file.path)
  }
  return SERVER_BUNDLE
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildServer()
