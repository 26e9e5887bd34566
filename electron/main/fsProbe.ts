import { randomUUID } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Creates and removes a file in `folder`; throws when this user cannot write there (ACLs included). */
export function probeWrite(folder: string): void {
  const file = join(folder, `.duet-write-test-${randomUUID()}`)
  writeFileSync(file, '', { flag: 'wx' })
  rmSync(file, { force: true })
}
