#!/usr/bin/env node
// `npm test`: every check the project has, in one run, ending with one line
// "N passed, N failed" that adds up all suites (static checks, unit, e2e).
// Steps keep going after a failure so one run reports everything.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const results = []
const env = { ...process.env, CI_REPORT: '1', FORCE_COLOR: '0' }
mkdirSync('test-results', { recursive: true })

function run(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`)
  const started = Date.now()
  const child = spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' })
  const ok = child.status === 0
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${child.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

/** Static checks count as one test each. */
function check(name, command, args) {
  const ok = run(name, command, args)
  results.push({ suite: name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 })
  return ok
}

function suite(name, command, args, reportPath, count) {
  rmSync(reportPath, { force: true })
  const ok = run(name, command, args)
  const report = readJson(reportPath)
  const counts = report ? count(report) : { passed: 0, failed: 1 }
  // A runner that crashed before reporting, or failed outside any test, is a failure too.
  if (!ok && counts.failed === 0) counts.failed = 1
  results.push({ suite: name, ...counts })
}

// Each layer (shared, node, preload, renderer) against its own globals, then tests and tools.
check('typecheck', 'npm', ['run', 'typecheck'])
check('lint', 'npx', ['eslint', '.'])
// Electron security review of electron/ (Doyensec): every finding fixed or explained in the script.
check('electronegativity', 'node', ['scripts/electronegativity.mjs'])
const built = check('build', 'npm', ['run', 'build:all'])
suite('unit', 'npx', ['vitest', 'run'], 'test-results/vitest.json', (r) => ({
  passed: r.numPassedTests ?? 0,
  failed: (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0),
}))
if (built && existsSync('dist/web/index.html')) {
  suite('e2e', 'npx', ['playwright', 'test'], 'test-results/playwright.json', (r) => ({
    passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
    failed: r.stats?.unexpected ?? 0,
  }))
} else {
  results.push({ suite: 'e2e', passed: 0, failed: 1 })
  console.log('=== e2e: not run, the web client did not build')
}

const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
console.log('\n' + results.map((r) => `${r.suite.padEnd(10)} ${r.passed} passed, ${r.failed} failed`).join('\n'))
const line = `${passed} passed, ${failed} failed`
writeFileSync('test-results/summary.txt', line + '\n')
console.log(line)
process.exit(failed === 0 ? 0 : 1)
