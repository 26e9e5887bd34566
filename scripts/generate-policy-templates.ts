/**
 * `npm run policy:templates`: writes the admin templates (ADMX/ADML,
 * .mobileconfig, example policy.json) and the admin guide's policy table
 * from src/shared/policy/schema.ts. `--check` only compares and exits 1 when
 * a committed file is out of date (tests/unit/scripts/policyTemplates.test.ts
 * does the same).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { APP_BUNDLE_ID } from '../src/shared/policy/definition'
import { renderTemplates } from './policy/templates'

const root = join(import.meta.dirname, '..')
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
const guide = readFileSync(join(root, 'docs/admin-guide.md'), 'utf8')
const check = process.argv.includes('--check')
const stale: string[] = []
for (const [path, content] of renderTemplates(version, APP_BUNDLE_ID, guide)) {
  const target = join(root, path)
  let current: string | null = null
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    current = null
  }
  if (current === content) continue
  stale.push(path)
  if (!check) {
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, content)
  }
}
if (check && stale.length > 0) {
  console.error(`Out of date (run npm run policy:templates): ${stale.join(', ')}`)
  process.exit(1)
}
console.log(stale.length === 0 ? 'policy templates are up to date' : `wrote ${stale.join(', ')}`)
