#!/usr/bin/env node
// `npm test`: every check the project has, in one run, ending with one line
// "N passed, N failed" that adds up all suites (static checks, unit, e2e).
// Steps keep going after a failure so one run reports everything.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { stripVTControlCharacters } from 'node:util'

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

/** What failed, one line each, printed again at the end: CI keeps only the tail of a long log. */
const failures = []

/** The first line of an error, without terminal colours, cut to fit a line. */
function firstLine(text) {
  const line = stripVTControlCharacters(String(text ?? '')).split('\n').find((l) => l.trim()) ?? ''
  return line.trim().slice(0, 240)
}

function suite(name, command, args, reportPath, count, failed) {
  rmSync(reportPath, { force: true })
  const ok = run(name, command, args)
  const report = readJson(reportPath)
  const counts = report ? count(report) : { passed: 0, failed: 1 }
  if (report) failures.push(...failed(report).map((f) => `${name}: ${f}`))
  // A runner that crashed before reporting, or failed outside any test, is a failure too.
  if (!ok && counts.failed === 0) {
    counts.failed = 1
    failures.push(`${name}: ${report ? 'failed outside any test (see its output above)' : 'no report (the runner stopped before writing it)'}`)
  }
  results.push({ suite: name, ...counts })
}

/** Vitest's JSON report: each failed test, and each file that failed to load or run. */
function vitestFailures(report) {
  const cwd = process.cwd() + '/'
  return (report.testResults ?? []).flatMap((file) => {
    const path = String(file.name ?? '').replace(cwd, '')
    const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed').map((t) => `${path} › ${t.fullName} — ${firstLine(t.failureMessages?.[0])}`)
    return tests.length === 0 && file.status === 'failed' ? [`${path} — ${firstLine(file.message)}`] : tests
  })
}

/** Playwright's JSON report: each test whose outcome was not the expected one, and errors outside tests. */
function playwrightFailures(report) {
  const specs = (suite) => [...(suite.specs ?? []).map((spec) => ({ ...spec, file: spec.file ?? suite.file })), ...(suite.suites ?? []).flatMap(specs)]
  const failed = (report.suites ?? []).flatMap(specs).flatMap((spec) =>
    (spec.tests ?? [])
      .filter((t) => t.status === 'unexpected')
      .map((t) => `${spec.file}:${spec.line} › ${spec.title} — ${firstLine(t.results?.at(-1)?.errors?.[0]?.message ?? t.results?.at(-1)?.error?.message)}`),
  )
  return [...failed, ...(report.errors ?? []).map((e) => firstLine(e.message))]
}

/** Runs one command with its output kept, so that commands running side by side print one after another. */
function runQuiet(command, args) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(command, args, { env, shell: process.platform === 'win32' })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({ ok: false, output: String(error), seconds: 0 }))
    child.on('close', (code) => resolve({ ok: code === 0, output, seconds: (Date.now() - started) / 1000 }))
  })
}

/**
 * The static checks, as many at once as there are cores: each is one process
 * on one core (tsc, ESLint), so side by side they take about half as long
 * on two cores. A check made of several commands passes when all of them do.
 */
async function staticChecks(checks) {
  const jobs = checks.flatMap((c) => c.commands.map((command) => ({ check: c.name, command })))
  const outcome = new Map(checks.map((c) => [c.name, { ok: true, seconds: 0 }]))
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]
      const [command, ...args] = job.command
      const result = await runQuiet(command, args)
      console.log(`\n=== ${job.check}: ${job.command.join(' ')}\n${result.output.trimEnd()}`)
      console.log(`=== ${job.check}: ${result.ok ? 'ok' : 'FAILED'} in ${result.seconds.toFixed(1)} s`)
      const o = outcome.get(job.check)
      o.ok &&= result.ok
      o.seconds += result.seconds
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker))
  for (const c of checks) results.push({ suite: c.name, passed: outcome.get(c.name).ok ? 1 : 0, failed: outcome.get(c.name).ok ? 0 : 1 })
}

// Each layer (shared, node, preload, renderer) against its own globals, then tests and tools: one
// project per command, the same list as `npm run typecheck`.
const typecheck = /vue-tsc --noEmit -p \S+/g
const projects = JSON.parse(readFileSync('package.json', 'utf8')).scripts.typecheck.match(typecheck)
await staticChecks([
  // tsconfig.json (tests and tools, over half the time) first, so that the last one to finish is a short one.
  { name: 'typecheck', commands: [...projects].sort((a, b) => Number(b.endsWith(' tsconfig.json')) - Number(a.endsWith(' tsconfig.json'))).map((p) => ['npx', ...p.split(' ')]) },
  { name: 'lint', commands: [['npx', 'eslint', '.']] },
  // Electron security review of electron/ (Doyensec): every finding fixed or explained in the script.
  { name: 'electronegativity', commands: [['node', 'scripts/electronegativity.mjs']] },
])
const built = check('build', 'npm', ['run', 'build:all'])
suite('unit', 'npx', ['vitest', 'run'], 'test-results/vitest.json', (r) => ({
  passed: r.numPassedTests ?? 0,
  // Each failed test, and each file that failed to load or run outside its tests (it has no failed test of its own).
  failed: vitestFailures(r).length,
}), vitestFailures)
if (built && existsSync('dist/web/index.html')) {
  suite('e2e', 'npx', ['playwright', 'test'], 'test-results/playwright.json', (r) => ({
    passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
    failed: r.stats?.unexpected ?? 0,
  }), playwrightFailures)
} else {
  results.push({ suite: 'e2e', passed: 0, failed: 1 })
  console.log('=== e2e: not run, the web client did not build')
}

for (const r of results) if (r.failed > 0 && !failures.some((f) => f.startsWith(`${r.suite}: `))) failures.push(`${r.suite}: failed (see its output above)`)
if (failures.length > 0) console.log('\nFailed:\n' + failures.map((f) => `  ✗ ${f}`).join('\n'))
const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
console.log('\n' + results.map((r) => `${r.suite.padEnd(10)} ${r.passed} passed, ${r.failed} failed`).join('\n'))
const line = `${passed} passed, ${failed} failed`
writeFileSync('test-results/summary.txt', line + '\n')
console.log(line)
process.exit(failed === 0 ? 0 : 1)
