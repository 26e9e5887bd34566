#!/usr/bin/env node
// `node scripts/electronegativity.mjs` (a step of `npm test`): Doyensec's Electronegativity over
// electron/ (main process and preloads). Every finding must be explained below, by check and
// file, with how many times it is expected there; anything new, or more of the same, fails the
// run until someone reads it and either fixes the code or explains why it is safe.
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity')
const electronVersion = require('electron/package.json').version

/** check → file → [expected count, why it is safe]. */
const EXPLAINED = {
  CONTEXT_ISOLATION_JS_CHECK: {
    'main/index.ts': [1, 'webPreferences come from secureWebPreferences(), which sets contextIsolation: true (the checker cannot follow the call); asserted by tests/unit/electron/main/security/webPreferences.test.ts and the boot test on the real window'],
    'main/sharingBar/barWindow.ts': [1, 'same secureWebPreferences() as the main window, plus backgroundThrottling: false'],
  },
  SANDBOX_JS_CHECK: {
    'main/index.ts': [1, 'secureWebPreferences() sets sandbox: true, and app.enableSandbox() sandboxes every renderer; both tested'],
    'main/sharingBar/barWindow.ts': [1, 'secureWebPreferences() sets sandbox: true; app.enableSandbox() covers it too'],
  },
  AUXCLICK_JS_CHECK: {
    'main/index.ts': [1, 'a middle click can only try to open a window or navigate: setWindowOpenHandler denies every window and will-navigate / will-frame-navigate keep the page on the app (security/webContentsGuard.ts, tested)'],
    'main/sharingBar/barWindow.ts': [1, 'the bar has no links; the same guard applies to every web contents (app web-contents-created)'],
  },
  OPEN_EXTERNAL_JS_CHECK: {
    'main/index.ts': [3, 'passes shell.openExternal to the guard, the permissions service and the IPC handlers, which only call it with a safeExternalUrl()-checked http(s) URL or a fixed OS settings URL'],
    'main/ipc/handlers.ts': [1, 'duet:shell:openExternal: the router validated an http(s) URL and safeExternalUrl() normalises it again before the call (tested)'],
    'main/security/webContentsGuard.ts': [1, 'links the page follows: only a safeExternalUrl() http(s) URL leaves the app (tested)'],
    'main/services/PermissionsService.ts': [1, 'opens an OS privacy page from a fixed table (x-apple.systempreferences:, ms-settings:), never a URL from IPC'],
  },
  PROTOCOL_HANDLER_JS_CHECK: {
    'main/index.ts': [2, 'registers duet:// (invites: DeepLinkService accepts only duet://join/<code>[?server=http(s) origin], tested)'],
  },
  CSP_GLOBAL_CHECK: {
    'main/security/csp.ts': [1, 'the CSP is built from a list at run time, which the checker cannot parse; the boot test reads the header off a real app:// response'],
  },
}

const result = await run(
  { input: resolve('electron'), isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [], parserPlugins: [] },
  false,
)

const found = new Map()
for (const issue of result.issues) {
  const key = `${issue.id} ${issue.file}`
  const entry = found.get(key) ?? { id: issue.id, file: issue.file, severity: issue.severity.name, lines: [] }
  entry.lines.push(issue.location.line)
  found.set(key, entry)
}

let failed = result.errors.length > 0
for (const error of result.errors) console.error(`electronegativity could not scan ${error.file}: ${error.message ?? error}`)
for (const { id, file, severity, lines } of found.values()) {
  const explained = EXPLAINED[id]?.[file]
  const ok = explained !== undefined && explained[0] === lines.length
  if (!ok) failed = true
  const why = explained ? explained[1] : 'NOT EXPLAINED: fix it or explain it in scripts/electronegativity.mjs'
  const count = explained && explained[0] !== lines.length ? ` (expected ${explained[0]}, found ${lines.length}: a new one to read)` : ''
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${severity.padEnd(6)} ${id} ${file}:${lines.join(',')}${count}\n       ${why}`)
}
for (const [id, files] of Object.entries(EXPLAINED)) {
  for (const file of Object.keys(files)) {
    if (!found.has(`${id} ${file}`)) console.log(`note  ${id} ${file} is explained but no longer found: remove the explanation`)
  }
}
console.log(`electronegativity ${electronVersion}: ${result.issues.length} findings, ${failed ? 'some unexplained' : 'all explained'}`)
process.exit(failed ? 1 : 0)
