/**
 * Standalone session server: `npm run server -- --port 47300 ...`, which runs
 * this file's bundle, dist/server/main.mjs (scripts/build-server.ts; see USAGE
 * in cliConfig.ts); `npm run server:dev` runs it from source with tsx. Electron hosts the same server in-process.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { USAGE, loadCliConfig } from './cliConfig'
import { consoleLogger } from './logger'
import { lanAddresses } from '../node/lan'

async function main(): Promise<void> {
  const result = loadCliConfig(process.argv.slice(2), process.env)
  if (result.kind === 'help') {
    console.log(USAGE)
    return
  }
  if (result.kind === 'error') {
    console.error(`duet-server: ${result.message}`)
    process.exit(1)
  }
  const config = result.config

  // Defaults for the CLI only: the repo's built web client and a local data folder.
  let webRoot = config.webRoot
  if (webRoot === undefined) {
    const built = fileURLToPath(new URL('../../dist/web', import.meta.url))
    webRoot = fs.existsSync(path.join(built, 'index.html')) ? built : null
    if (webRoot === null) consoleLogger.warn('No built web client (run npm run build:web); serving the API only')
  }
  const dataDir = config.dataDir === undefined ? path.resolve('.duet-data') : config.dataDir

  // Loaded after the configuration is known to be valid: a mistake is reported at once, not after the database code loads.
  const { createSessionServer } = await import('./index')
  const server = await createSessionServer({ ...config, webRoot, dataDir, logger: consoleLogger })
  const lan = config.host === undefined || config.host === '0.0.0.0' ? lanAddresses(server.port) : []
  console.log(`Duet session server ${server.url}`)
  for (const url of lan) console.log(`  on your network:  ${url}`)
  console.log(`  invite links use: ${server.publicUrl}`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    consoleLogger.info('Shutting down', { signal })
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(`duet-server: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
