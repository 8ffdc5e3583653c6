#!/usr/bin/env node
// `npm test`: brings what the suite needs, then runs every check.
//
// 1. node_modules (npm ci when missing);
// 2. redis-server + redis-cli (the conformance oracle) and Chromium (end-to-end): on Debian
//    as root they are installed with apt; elsewhere this prints what to install and stops;
// 3. typecheck, lint, the Vitest suites (engine, app, conformance, e2e).
import { execSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const root = new URL('..', import.meta.url).pathname
process.chdir(root)

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

function run(cmd) {
  console.log(`\n$ ${cmd}`)
  execSync(cmd, { stdio: 'inherit' })
}

const needs = [
  { bin: 'redis-server', pkg: 'redis-server' },
  { bin: 'redis-cli', pkg: 'redis-tools' },
  { bin: 'redis-benchmark', pkg: 'redis-tools' },
  { bin: 'chromium', pkg: 'chromium' },
]
/**
 * The oracle build the conformance tests expect: Debian's security patches change what
 * redis-server 7.0.15 logs (rdb.c line numbers in RDB errors) and accepts (a stream PEL entry
 * owned twice), so an older Debian build left on a machine by a stale package list fails
 * them. Debian's packages only, upgraded as root (elsewhere the installed one is used).
 */
const ORACLE_DEB = '5:7.0.15-1~deb12u10'
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const missing = [...new Set(needs.filter((n) => !have(n.bin)).map((n) => n.pkg))]
if (isRoot && have('apt-get') && have('dpkg-query') && !missing.includes('redis-server')) {
  const installed = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'redis-server'], {
    encoding: 'utf8',
  }).stdout
  const older =
    installed !== '' &&
    spawnSync('dpkg', ['--compare-versions', installed, 'lt', ORACLE_DEB]).status === 0
  if (older) {
    console.log(`redis-server ${installed} is older than the oracle build ${ORACLE_DEB}`)
    run('apt-get update -qq')
    run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools')
  }
}
if (missing.length > 0) {
  if (isRoot && have('apt-get')) {
    run('apt-get update -qq')
    run(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`)
  } else {
    console.error(
      `Missing: ${missing.join(', ')}.\n` +
        `On Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}\n` +
        'On macOS: brew install redis && brew install --cask chromium (then set CHROMIUM_PATH).\n' +
        'The suite needs Redis 7.0.x (the oracle) and a Chromium binary.',
    )
    process.exit(1)
  }
}
if (!existsSync('node_modules')) run('npm ci --no-audit --no-fund')

run('npm run typecheck')
run('npm run lint')

// The Vitest run also writes a JSON report, so the suite ends on one plain summary line
// ("N passed, N failed") that any CI reader understands.
const report = 'test-results/vitest.json'
rmSync(report, { force: true })
let failed = false
try {
  run(`npx vitest run --reporter=default --reporter=json --outputFile.json=${report}`)
} catch {
  failed = true
}
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed`)
}
if (failed) process.exit(1)
