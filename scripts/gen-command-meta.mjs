#!/usr/bin/env node
// Generates src/engine/commands/meta.generated.ts by asking the oracle: Debian's
// redis-server 7.0.15 (apt-get install redis-server), started on a free loopback port.
// Our COMMAND INFO / COMMAND DOCS replies must be byte-identical to its replies, so the
// command metadata is read from exactly those replies: arity, flags, ACL categories,
// first/last/step, tips, key specs and subcommands from COMMAND INFO; summary, since,
// group, complexity, doc flags, history and arguments from COMMAND DOCS.
//
// Usage: node scripts/gen-command-meta.mjs [path/to/redis-server]
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import net from 'node:net'

const bin = process.argv[2] ?? 'redis-server'

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Parses one RESP2 value from buf at pos; returns [value, nextPos] or null if incomplete. */
function parse(buf, pos) {
  const eol = buf.indexOf('\r\n', pos)
  if (eol < 0) return null
  const type = buf[pos]
  const line = buf.slice(pos + 1, eol)
  let next = eol + 2
  switch (type) {
    case '+':
      return [line, next]
    case '-':
      return [new Error(line), next]
    case ':':
      return [Number(line), next]
    case '$': {
      const n = Number(line)
      if (n < 0) return [null, next]
      if (buf.length < next + n + 2) return null
      return [buf.slice(next, next + n), next + n + 2]
    }
    case '*': {
      const n = Number(line)
      if (n < 0) return [null, next]
      const out = []
      for (let i = 0; i < n; i++) {
        const r = parse(buf, next)
        if (!r) return null
        out.push(r[0])
        next = r[1]
      }
      return [out, next]
    }
    default:
      throw new Error(`bad RESP type ${type}`)
  }
}

function ask(port, argv) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1')
    let buf = ''
    sock.setEncoding('latin1')
    sock.on('data', (d) => {
      buf += d
      const r = parse(buf, 0)
      if (r) {
        sock.end()
        resolve(r[0])
      }
    })
    sock.on('error', reject)
    sock.write(`*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`)
  })
}

/** Turns a flat [k1, v1, k2, v2 ...] RESP2 map into an object. */
function map(flat) {
  const o = {}
  for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1]
  return o
}

function keySpec(flat) {
  const ks = map(flat)
  const o = {}
  if (ks.notes !== undefined) o.notes = ks.notes
  o.flags = ks.flags
  const bs = map(ks.begin_search)
  const bspec = map(bs.spec)
  if (bs.type === 'index') o.begin_search = { type: 'index', index: bspec.index }
  else if (bs.type === 'keyword')
    o.begin_search = { type: 'keyword', keyword: bspec.keyword, startfrom: bspec.startfrom }
  else o.begin_search = { type: 'unknown' }
  const fk = map(ks.find_keys)
  const fspec = map(fk.spec)
  if (fk.type === 'range')
    o.find_keys = {
      type: 'range',
      lastkey: fspec.lastkey,
      keystep: fspec.keystep,
      limit: fspec.limit,
    }
  else if (fk.type === 'keynum')
    o.find_keys = {
      type: 'keynum',
      keynumidx: fspec.keynumidx,
      firstkey: fspec.firstkey,
      keystep: fspec.keystep,
    }
  else o.find_keys = { type: 'unknown' }
  return o
}

function args(list) {
  return list.map((flat) => {
    const a = map(flat)
    const o = { name: a.name, type: a.type }
    for (const k of [
      'display_text',
      'key_spec_index',
      'token',
      'summary',
      'since',
      'deprecated_since',
    ])
      if (a[k] !== undefined) o[k] = a[k]
    if (a.flags) o.flags = a.flags
    if (a.arguments) o.arguments = args(a.arguments)
    return o
  })
}

function collect(meta, info, docs, prefix) {
  for (const entry of info) {
    const [name, arity, flags, first, last, step, acl, tips, keySpecs, subs] = entry
    const key = prefix ? `${prefix}|${name.split('|')[1]}` : name
    const d = map(docs[name.split('|').pop()] ?? docs[name] ?? [])
    const m = {
      arity,
      flags,
      acl: acl.map((c) => c.replace(/^@/, '')),
      firstKey: first,
      lastKey: last,
      step,
      group: d.group,
      since: d.since,
      summary: d.summary,
    }
    if (d.complexity !== undefined) m.complexity = d.complexity
    if (d.doc_flags !== undefined) m.docFlags = d.doc_flags
    if (d.deprecated_since !== undefined) m.deprecatedSince = d.deprecated_since
    if (d.replaced_by !== undefined) m.replacedBy = d.replaced_by
    if (d.history !== undefined) m.history = d.history
    if (tips.length) m.tips = tips
    if (keySpecs.length) m.keySpecs = keySpecs.map(keySpec)
    if (d.arguments !== undefined) m.arguments = args(d.arguments)
    meta[key] = m
    if (subs.length) collect(meta, subs, map(d.subcommands ?? []), name)
  }
}

const port = await freePort()
const proc = spawn(
  bin,
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
)
try {
  let info
  for (let i = 0; i < 50 && !info; i++) {
    await new Promise((r) => setTimeout(r, 100))
    info = await ask(port, ['COMMAND', 'INFO']).catch(() => undefined)
  }
  const version = map((await ask(port, ['HELLO', '2'])) ?? []).version
  const docs = map(await ask(port, ['COMMAND', 'DOCS']))
  const meta = {}
  collect(meta, info, docs, '')
  const sorted = Object.fromEntries(
    Object.keys(meta)
      .sort()
      .map((k) => [k, meta[k]]),
  )
  const out = `/**
 * Command metadata of Redis ${version}, generated by scripts/gen-command-meta.mjs from the
 * oracle's own COMMAND INFO and COMMAND DOCS replies (do not edit by hand). Keys are
 * lowercase names, subcommands as 'container|sub'.
 */
import type { CommandMeta } from './spec.ts'

export const COMMAND_META: Readonly<Record<string, CommandMeta>> = ${JSON.stringify(sorted)}
`
  writeFileSync(new URL('../src/engine/commands/meta.generated.ts', import.meta.url), out)
  console.log(`${Object.keys(sorted).length} commands from redis-server ${version}`)
} finally {
  proc.kill()
}
