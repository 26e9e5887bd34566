// `node --require register.cjs out/main/index.js`: the built main process, with 'electron'
// resolved to fakeElectron.cjs, both for require() (electron-log, electron-updater) and for
// import (the bundle itself, electron-store). Node 20 has no single hook for both.
'use strict'
const Module = require('node:module')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const fake = path.join(__dirname, 'fakeElectron.cjs')
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? fake : resolveFilename.call(this, request, ...rest)
}
Module.register(pathToFileURL(path.join(__dirname, 'hooks.mjs')), { data: { fake: pathToFileURL(fake).href } })
