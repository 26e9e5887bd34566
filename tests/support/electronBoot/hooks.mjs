// ESM half of register.cjs: `import … from 'electron'` gets the fake.
let fake = ''

export async function initialize(data) {
  fake = data.fake
}

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true }
  return next(specifier, context)
}
