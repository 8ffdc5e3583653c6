import { describe, expect, it } from 'vitest'
import { parseServeArgs } from '../../src/server/main.ts'

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
    ).toEqual({ port: 6380, host: '127.0.0.2', seed: 7, enableDebugCommand: 'local', config: {} })
  })

  it('passes other --name value pairs as config (save too), ignores real-server-only ones', () => {
    expect(
      parseServeArgs(['--hz', '100', '--requirepass', 'x', '--save', '', '--daemonize', 'no'])
        .config,
    ).toEqual({ hz: '100', requirepass: 'x', save: '' })
    expect(parseServeArgs(['--appendonly', 'yes']).config).toEqual({ appendonly: 'yes' })
  })

  it('defaults to port 6380 on loopback, seed 0, DEBUG disabled', () => {
    expect(parseServeArgs([])).toEqual({
      port: 6380,
      host: '127.0.0.1',
      seed: 0,
      enableDebugCommand: 'no',
      config: {},
    })
  })

  it('rejects bad usage', () => {
    expect(() => parseServeArgs(['6380'])).toThrow(/unexpected argument/)
    expect(() => parseServeArgs(['--port'])).toThrow(/missing value/)
    expect(() => parseServeArgs(['--port', 'x'])).toThrow(/integer/)
    expect(() => parseServeArgs(['--enable-debug-command', 'maybe'])).toThrow(/yes, local or no/)
  })
})
