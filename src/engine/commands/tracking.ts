/**
 * CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO (networking.c
 * clientCommand, Redis 7.0.15): the commands of client-side caching. The tracking itself
 * (tables, invalidation messages) is tracking.ts.
 *
 * CLIENT TRACKING parses every option first (REDIRECT's id must name a connected client),
 * then checks, in Redis's order, that they agree with each other and with the client's
 * current mode; OFF ignores the options once they parse.
 */
import {
  error,
  ERR_SYNTAX,
  integer,
  mapReply,
  OK,
  sequence,
  setReply,
  bulk,
  array,
} from '../reply.ts'
import type { Reply } from '../reply.ts'
import {
  checkPrefixCollisions,
  disableTracking,
  enableTracking,
  trackingInfoFlags,
  trackingIsOn,
  trackingPrefixesOf,
  trackingRedirection,
  TRACKING_BCAST,
  TRACKING_CACHING,
  TRACKING_NOLOOP,
  TRACKING_OPTIN,
  TRACKING_OPTOUT,
} from '../tracking.ts'
import { eqIgnoreCase, getLongLongOrReply } from './parse.ts'
import type { CommandCall } from './spec.ts'

/** CLIENT TRACKING (on|off) [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP] */
export function clientTrackingCommand(c: CommandCall): Reply {
  const { argv, srv, client } = c
  let redir = 0n
  let options = 0
  const prefixes: string[] = []
  for (let j = 3; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    const opt = argv[j]
    if (eqIgnoreCase(opt, 'redirect') && moreargs > 0) {
      j++
      if (redir !== 0n) return error('ERR A client can only redirect to a single other client')
      const id = getLongLongOrReply(argv[j] ?? '')
      if (typeof id === 'object') return id
      redir = id
      // The client must exist now, though it may go away later.
      if (!srv.clients.has(Number(redir)) || redir <= 0n)
        return error('ERR The client ID you want redirect to does not exist')
    } else if (eqIgnoreCase(opt, 'bcast')) {
      options |= TRACKING_BCAST
    } else if (eqIgnoreCase(opt, 'optin')) {
      options |= TRACKING_OPTIN
    } else if (eqIgnoreCase(opt, 'optout')) {
      options |= TRACKING_OPTOUT
    } else if (eqIgnoreCase(opt, 'noloop')) {
      options |= TRACKING_NOLOOP
    } else if (eqIgnoreCase(opt, 'prefix') && moreargs > 0) {
      j++
      prefixes.push(argv[j] ?? '')
    } else {
      return ERR_SYNTAX
    }
  }
  if (eqIgnoreCase(argv[2], 'off')) {
    disableTracking(srv, client)
    return OK
  }
  if (!eqIgnoreCase(argv[2], 'on')) return ERR_SYNTAX
  if (!(options & TRACKING_BCAST) && prefixes.length > 0)
    return error('ERR PREFIX option requires BCAST mode to be enabled')
  const flags = trackingIsOn(client) ? (client.tracking?.flags ?? 0) : 0
  if (trackingIsOn(client) && (flags & TRACKING_BCAST) !== (options & TRACKING_BCAST))
    return error(
      "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    )
  if (options & TRACKING_BCAST && options & (TRACKING_OPTIN | TRACKING_OPTOUT))
    return error('ERR OPTIN and OPTOUT are not compatible with BCAST')
  if (options & TRACKING_OPTIN && options & TRACKING_OPTOUT)
    return error("ERR You can't specify both OPTIN mode and OPTOUT mode")
  // The client's flags are read even with tracking off: OFF clears them, so they are 0 then.
  const own = client.tracking?.flags ?? 0
  if (
    (options & TRACKING_OPTIN && own & TRACKING_OPTOUT) ||
    (options & TRACKING_OPTOUT && own & TRACKING_OPTIN)
  )
    return error(
      "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    )
  let collision: Reply | null = null
  if (options & TRACKING_BCAST) {
    const clash = checkPrefixCollisions(client, prefixes)
    if (clash !== null) {
      if (!clash.proceed) return error(`ERR ${clash.error}`)
      collision = error(`ERR ${clash.error}`)
    }
  }
  enableTracking(srv, client, Number(redir), options, prefixes)
  // 7.0.15 answers an overlap found after the first prefix with the error and then +OK.
  return collision === null ? OK : sequence([collision, OK])
}

/** CLIENT CACHING (yes|no): the next command's keys are (OPTIN) or are not (OPTOUT) tracked. */
export function clientCachingCommand(c: CommandCall): Reply {
  const ct = c.client.tracking
  if (ct === null || !trackingIsOn(c.client))
    return error(
      'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
    )
  const opt = c.argv[2]
  if (eqIgnoreCase(opt, 'yes')) {
    if (!(ct.flags & TRACKING_OPTIN))
      return error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.')
  } else if (eqIgnoreCase(opt, 'no')) {
    if (!(ct.flags & TRACKING_OPTOUT))
      return error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.')
  } else {
    return ERR_SYNTAX
  }
  ct.flags |= TRACKING_CACHING
  return OK
}

/** CLIENT GETREDIR: the redirect id (0: none) while tracking, else -1. */
export function clientGetredirCommand(c: CommandCall): Reply {
  return integer(trackingRedirection(c.client))
}

/** CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
export function clientTrackinginfoCommand(c: CommandCall): Reply {
  const cl = c.client
  return mapReply(cl.resp, [
    bulk('flags'),
    setReply(cl.resp, trackingInfoFlags(cl).map(bulk)),
    bulk('redirect'),
    integer(trackingRedirection(cl)),
    bulk('prefixes'),
    array(trackingPrefixesOf(cl).map(bulk)),
  ])
}
