/**
 * The solver worker's code, as CommonJS source run with `eval: true`: it needs
 * no build step, so the same worker runs under tsx, vitest and the desktop
 * app's bundled main process. It loads mathsteps once, says `{ ready: true }`,
 * then answers jobs `{ id, kind, problem }` with `{ id, steps }` or `{ id, error }`.
 * mathsteps prints debugging text on failure; the console is silenced here.
 */
export const SOLVER_WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
for (const name of ['log', 'info', 'warn', 'error', 'debug']) console[name] = () => {}
const mathsteps = require(workerData.mathstepsPath)
const print = require(workerData.printPath)

function nodeText(node) {
  return { ascii: print.ascii(node), tex: print.latex(node) }
}
function equationText(equation) {
  return {
    ascii: equation.ascii(),
    tex: equation.latex(),
    left: print.ascii(equation.leftNode),
    right: print.ascii(equation.rightNode),
    comparator: equation.comparator,
  }
}

parentPort.postMessage({ ready: true })

parentPort.on('message', (job) => {
  try {
    let steps
    if (job.kind === 'equation') {
      // A verdict step (STATEMENT_IS_TRUE) has no "before": it judges the equation as it stands.
      steps = mathsteps.solveEquation(job.problem).map((s) => ({
        change: s.changeType,
        before: equationText(s.oldEquation || s.newEquation),
        after: equationText(s.newEquation || s.oldEquation),
      }))
    } else {
      steps = mathsteps.simplifyExpression(job.problem).map((s) => ({
        change: s.changeType, before: nodeText(s.oldNode || s.newNode), after: nodeText(s.newNode || s.oldNode),
      }))
    }
    parentPort.postMessage({ id: job.id, steps: steps.slice(0, 200) })
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err).slice(0, 300) })
  }
})
`
