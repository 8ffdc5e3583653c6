import { describe, expect, it } from 'vitest'
import { createServer } from '../../src/engine/index.ts'
import {
  defaultListenHost,
  defaultSeed,
  loadConfiguredUsers,
  parseServeArgs,
} from '../../src/server/main.ts'

describe('npm run serve arguments', () => {
  it('takes port, seed, bind and enable-debug-command', () => {
    expect(
      parseServeArgs([
        '--port',
        '6380',
        '--seed',
        '7',
        '--bind',
        '127.0.0.2',
        '--enable-debug-command',
        'local',
      ]),
    ).toEqual({
      port: 6380,
      host: '127.0.0.2',
      seed: 7,
      enableDebugCommand: 'local',
      config: { bind: '127.0.0.2' },
      users: [],
      logfile: '',
      configFile: null,
      renames: [],
    })
  })

  it("listens on bind's first address, '*' as every IPv4 one", () => {
    expect(parseServeArgs(['--bind', '* -::*']).host).toBe('0.0.0.0')
    expect(parseServeArgs(['--bind', '-::1 127.0.0.1']).host).toBe('::1')
  })

  it('listens on no TCP address for bind "" (config.c: one empty argument is none)', () => {
    expect(parseServeArgs(['--bind', '']).host).toBeNull()
    expect(parseServeArgs(['--bind', '']).config).toEqual({ bind: '' })
  })

  it('draws its seed as a drop-in redis-server (a run ID of its own each start), else 0', () => {
    const seeds = new Set(Array.from({ length: 8 }, () => defaultSeed({ REDIS_XRAY_DROP_IN: '1' })))
    expect(seeds.size).toBeGreaterThan(1)
    expect(defaultSeed({})).toBe(0)
    expect(parseServeArgs([], undefined, '127.0.0.1', 42).seed).toBe(42)
    expect(parseServeArgs(['--seed', '7'], undefined, '127.0.0.1', 42).seed).toBe(7)
  })

  it('listens on every IPv4 address by default as a drop-in redis-server only', () => {
    expect(defaultListenHost({ REDIS_XRAY_DROP_IN: '1' })).toBe('0.0.0.0')
    expect(defaultListenHost({})).toBe('127.0.0.1')
    expect(parseServeArgs([], undefined, defaultListenHost({ REDIS_XRAY_DROP_IN: '1' })).host).toBe(
      '0.0.0.0',
    )
  })

  it('passes other --name value pairs as config (save too), ignores real-server-only ones', () => {
    expect(
      parseServeArgs(['--hz', '100', '--requirepass', 'x', '--save', '', '--daemonize', 'no'])
        .config,
    ).toEqual({ hz: '100', requirepass: 'x', save: '' })
    expect(parseServeArgs(['--appendonly', 'yes']).config).toEqual({ appendonly: 'yes' })
    // protected-mode is modelled (a non-local client is refused while it is on): the option
    // the refusal's own text suggests must reach the engine.
    expect(parseServeArgs(['--protected-mode', 'no']).config).toEqual({ 'protected-mode': 'no' })
  })

  it('defaults to port 6380 on loopback, seed 0, DEBUG disabled', () => {
    expect(parseServeArgs([])).toEqual({
      port: 6380,
      host: '127.0.0.1',
      seed: 0,
      enableDebugCommand: 'no',
      config: {},
      users: [],
      logfile: '',
      configFile: null,
      renames: [],
    })
  })

  it('rejects bad usage', () => {
    expect(() => parseServeArgs(['--port'])).toThrow(/wrong number of arguments/)
    expect(() => parseServeArgs(['--port', 'x'])).toThrow(/integer/)
    expect(() => parseServeArgs(['--enable-debug-command', 'maybe'])).toThrow(
      /must be one of the following: no, yes, local/,
    )
  })

  it('reads a redis.conf first, then the options (the last one wins)', () => {
    const files: Record<string, string> = {
      '/r.conf': '# comment\n  port 7000\nsave "900 1"\ninclude /more.conf\nmaxmemory 1mb\n',
      '/more.conf': 'HZ 50\nuser alice on >pw ~* +@all\n',
    }
    const read = (path: string): string => {
      const text = files[path]
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
      return text
    }
    const a = parseServeArgs(['/r.conf', '--maxmemory', '2mb', '--save', '--seed', '3'], read)
    expect(a.port).toBe(7000)
    expect(a.seed).toBe(3)
    expect(a.config).toEqual({ save: '', hz: '50', maxmemory: '2mb' })
    expect(a.users).toEqual([['alice', 'on', '>pw', '~*', '+@all']])
    // One argument holding the name and its value, as redis-server takes it.
    expect(
      parseServeArgs(['--maxmemory 700mb', "--maxmemory-policy 'volatile-lru'"]).config,
    ).toEqual({ maxmemory: '700mb', 'maxmemory-policy': 'volatile-lru' })
    expect(() => parseServeArgs(['/none.conf'], read)).toThrow(
      "Fatal error, can't open config file '/none.conf': No such file or directory",
    )
  })

  it('takes save lines as config.c does: the first replaces the defaults, the next ones append', () => {
    const read = () => 'save 900 1\n'
    expect(parseServeArgs(['/r.conf', '--save', '100', '100'], read).config).toEqual({
      save: '900 1 100 100',
    })
    expect(parseServeArgs(['/r.conf', '--save', ''], read).config).toEqual({ save: '' })
    expect(parseServeArgs(['--save', '', '--save', '5 6'], read).config).toEqual({ save: '5 6' })
  })

  it("stops on a bad directive with config.c's FATAL CONFIG FILE ERROR", () => {
    const read = () => 'port 7000\nnosuchthing 1\n'
    expect(() => parseServeArgs(['/r.conf'], read)).toThrow(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'nosuchthing 1'\nBad directive or wrong number of arguments",
    )
    expect(() => parseServeArgs(['--port', '1', '2'])).toThrow(
      /at line 2\n>>> 'port "1" "2"'\nwrong number/,
    )
    // Each value is checked on its line, with config.c's message (the Tcl suite's error cases).
    expect(() => parseServeArgs(['--port', '--bla', '--loglevel', 'verbose'])).toThrow(
      /'port "--bla"'\nargument couldn't be parsed into an integer$/,
    )
    expect(() => parseServeArgs(['--shutdown-on-sigint'])).toThrow(
      /'shutdown-on-sigint'\nargument\(s\) must be one of the following/,
    )
    expect(() => parseServeArgs(['--replicaof', '127.0.0.1', 'abc'])).toThrow(
      /'replicaof "127.0.0.1" "abc"'\nInvalid master port$/,
    )
    expect(() => parseServeArgs(['--replicaof', '--127.0.0.1', '--abc'])).toThrow(
      /'replicaof "--127.0.0.1"'\nwrong number of arguments$/,
    )
    expect(parseServeArgs(['--replicaof', 'no', 'one']).config).toEqual({ replicaof: 'no one' })
    expect(() => parseServeArgs(['--user', 'foo', '--user', 'foo'])).toThrow(
      /at line 3\n>>> 'user "foo"'\nError in user declaration 'foo': Duplicate user found\. A user can only be defined once in config files$/,
    )
    expect(() => parseServeArgs(['/r.conf'], () => 'save "100 1')).toThrow(
      /Unbalanced quotes in configuration line/,
    )
  })

  it('takes client-output-buffer-limit lines one class each, as CONFIG REWRITE writes them', () => {
    const text =
      'client-output-buffer-limit normal 1gb 0 0\nclient-output-buffer-limit pubsub 64mb 16mb 90\n'
    expect(parseServeArgs(['/r.conf'], () => text).config['client-output-buffer-limit']).toBe(
      'normal 1gb 0 0 pubsub 64mb 16mb 90',
    )
  })

  it("takes rename-command lines in order, with config.c's errors", () => {
    const conf = (text: string) => parseServeArgs(['/r.conf'], () => text)
    expect(conf('rename-command flushdb badger\nrename-command BADGER ""\n').renames).toEqual([
      ['flushdb', 'badger'],
      ['BADGER', ''],
    ])
    expect(() => conf('rename-command nosuch x\n')).toThrow(
      /at line 1\n>>> 'rename-command nosuch x'\nNo such command in rename-command$/,
    )
    expect(() => conf('rename-command get set\n')).toThrow(/Target command name already exists$/)
    expect(() => conf('rename-command get x\nrename-command get y\n')).toThrow(
      /at line 2\n.*\nNo such command in rename-command$/,
    )
  })

  it('creates configured users afresh: default is reset, so it loses its channels', () => {
    const engine = createServer({ seed: 0 })
    expect(loadConfiguredUsers(engine, [['default', 'on', 'nopass', '~*', '+@all']])).toBeNull()
    // acl-pubsub-default is resetchannels: the reset default user has no channel (&*).
    expect(engine.call(['ACL', 'LIST'])).toEqual({
      type: 'array',
      value: [
        { type: 'bulk', value: 'user default on nopass sanitize-payload ~* resetchannels +@all' },
      ],
    })
  })
})
