#!/usr/bin/env node
// Runs a command until this process's stdin closes, then stops it. Playwright starts its webServer
// with a pipe on stdin and kills it when the run ends; a run that is itself killed (Ctrl+C twice,
// SIGKILL, a CI timeout) cannot, and the session server it started kept the test port busy for
// the next run. The pipe closes whenever the runner goes, however it goes.
// Usage: node tests/support/untilStdinCloses.mjs <command> [args...]
import { spawn } from 'node:child_process'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('usage: untilStdinCloses.mjs <command> [args...]')
  process.exit(2)
}
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] })
const stop = () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
}
process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop)
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
