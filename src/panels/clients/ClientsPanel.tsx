/**
 * The clients panel: transactions, Pub/Sub and blocking pops as the server keeps them. Each
 * client is a column (its flags, the keys it is blocked on, its MULTI queue with every
 * command answered QUEUED, its WATCHed keys, its subscriptions); beside them, the server-side
 * dicts those link to: each db's watched_keys (key → clients watching), while clients wait in
 * BLPOP and the like each db's blocking_keys (key → clients blocked on it, in line), and
 * pubsub_channels / pubsub_patterns (name → subscribers). A step folds one multi/*,
 * pubsub/*, blocking/* or client/* event (clientsModel.ts): the client and the dict entry it
 * concerns light up, CLIENT_DIRTY_CAS lights up on the clients a write touched, EXEC's
 * outcome is shown, and a PUBLISH lights up the channel, the matching patterns and every
 * receiving client. A client that connects fades in as a new column; one the server closes
 * stays for that step, marked closed, then is gone. New rows fade in with the step's tween
 * (none under reduced motion: the tween is then always complete). */
import { StepCaption } from '../shared/StepCaption.tsx'
import '../shared/panels.css'
import './clients.css'
import { memo, useMemo, type ReactNode } from 'react'
import type { StepEvent } from '../../engine/events.ts'
import { bytesToUtf8 } from '../../state/bytes.ts'
import type { PanelProps } from '../registry.ts'
import { narration } from '../shared/narration.ts'
import { Legend } from '../shared/Legend.tsx'
import { isSettled, useOwnStep, useStepFold } from '../shared/stepFold.ts'
import {
  applyClientsEvent,
  asClientsView,
  focusOf,
  publishReceivers,
  type ClientFlag,
  type ClientsView,
} from './clientsModel.ts'
import { fill } from '../shared/fill.ts'

type Lang = 'en' | 'zh'

const text = {
  explain: {
    en: 'Each client keeps its transaction queue, its flags and what it watches, subscribes to or is blocked on; the server keeps the dicts that point back at the clients.',
    zh: '每个客户端保存自己的事务队列、标志以及它监视、订阅或阻塞等待的内容；服务器端保存指回这些客户端的字典。',
  },
  client: { en: 'Client', zh: '客户端' },
  queue: { en: 'MULTI queue', zh: 'MULTI 队列' },
  emptyQueue: { en: 'empty', zh: '空' },
  watched: { en: 'Watched keys', zh: '监视的键' },
  subscriptions: { en: 'Subscriptions', zh: '订阅' },
  none: { en: 'none', zh: '无' },
  noClients: { en: 'No clients.', zh: '没有客户端。' },
  watchedKeys: { en: 'watched_keys of db {db}', zh: '{db} 号库的 watched_keys' },
  noWatched: { en: 'watched_keys: no key is watched.', zh: 'watched_keys：没有被监视的键。' },
  blockingKeys: { en: 'blocking_keys of db {db}', zh: '{db} 号库的 blocking_keys' },
  noBlocking: {
    en: 'blocking_keys: no client is blocked on a key.',
    zh: 'blocking_keys：没有客户端阻塞在键上。',
  },
  blockedOn: { en: 'Blocked on', zh: '阻塞在' },
  channels: { en: 'pubsub_channels', zh: 'pubsub_channels' },
  shardChannels: { en: 'pubsubshard_channels', zh: 'pubsubshard_channels' },
  patterns: { en: 'pubsub_patterns', zh: 'pubsub_patterns' },
  empty: { en: '(empty)', zh: '（空）' },
  truncated: { en: 'Lists are cut: the server holds more.', zh: '列表已截断：服务器中还有更多。' },
  execRan: { en: 'EXEC ran {n|command|commands}.', zh: 'EXEC 执行了 {n} 条命令。' },
  execDirty: {
    en: 'EXEC aborted: a watched key changed (nil reply).',
    zh: 'EXEC 中止：被监视的键已改变（回复 nil）。',
  },
  execAbort: {
    en: 'EXEC aborted: EXECABORT, a command failed while queueing.',
    zh: 'EXEC 中止：EXECABORT，排队时有命令出错。',
  },
  published: {
    en: 'PUBLISH reached {n|receiver|receivers}.',
    zh: 'PUBLISH 送达 {n} 个接收者。',
  },
  tracking: { en: 'Client-side caching (CLIENT TRACKING)', zh: '客户端缓存（CLIENT TRACKING）' },
  redirect: { en: 'invalidations go to client #{id}', zh: '失效消息发往客户端 #{id}' },
  prefixes: { en: 'BCAST prefixes:', zh: 'BCAST 前缀：' },
  trackedKeys: {
    en: 'In the tracking table (invalidated at their next change):',
    zh: '在跟踪表中（下次修改时发送失效消息）：',
  },
  closed: { en: 'closed', zh: '已关闭' },
  connected: { en: 'new connection', zh: '新连接' },
  litRow: { en: 'the entry this step touches', zh: '这一步涉及的条目' },
} as const

const FLAG_TEXT: Readonly<Record<ClientFlag, { en: string; zh: string }>> = {
  multi: { en: 'MULTI', zh: 'MULTI 事务中' },
  'dirty-cas': { en: 'DIRTY_CAS', zh: 'DIRTY_CAS 已失效' },
  'dirty-exec': { en: 'DIRTY_EXEC', zh: 'DIRTY_EXEC 有错误' },
  subscribed: { en: 'PUBSUB', zh: 'PUBSUB 订阅中' },
  blocked: { en: 'BLOCKED', zh: 'BLOCKED 阻塞中' },
}

const show = bytesToUtf8

function isClientsEvent(e: StepEvent): boolean {
  return (
    e.type.startsWith('multi/') ||
    e.type.startsWith('pubsub/') ||
    e.type.startsWith('tracking/') ||
    e.type.startsWith('blocking/') ||
    e.type.startsWith('client/')
  )
}

/** The outcome line for the current step: EXEC's result or PUBLISH's reach. */
function outcome(e: StepEvent | undefined, receivers: number, lang: Lang): string | null {
  if (e?.type === 'multi/execRan') return fill(text.execRan[lang], { n: e.commands })
  if (e?.type === 'multi/execAborted')
    return e.why === 'dirtyCas' ? text.execDirty[lang] : text.execAbort[lang]
  if (e?.type === 'pubsub/published') return fill(text.published[lang], { n: receivers })
  return null
}

export interface ClientsPanelProps {
  readonly before: ClientsView | null
  readonly after: ClientsView
  /** This panel's events (multi/*, pubsub/*, tracking/*). */
  readonly events: readonly StepEvent[]
  /** How many of them are applied. */
  readonly step: number
  /** Progress of the last step's tween, 0..1 (1 under reduced motion). */
  readonly t: number
  readonly lang: Lang
  readonly settled: boolean
}

function ClientsPanelImpl(props: ClientsPanelProps): ReactNode {
  const { before, after, events, step, t, lang, settled } = props
  const start = before ?? after
  const settle = useMemo(() => (settled ? () => after : null), [settled, after])
  const { prev, curr, current } = useStepFold(start, events, step, applyClientsEvent, settle)
  const focus = focusOf(current)
  const pub = publishReceivers(curr, current)
  const line = outcome(current, pub.clients.size, lang)
  const opacity = Math.max(0, Math.min(1, t))
  const prevQueued = new Map(prev.clients.map((c) => [c.id, c.queued.length]))
  // The step that closed a client still shows it, marked, where it stood.
  const closing = current?.type === 'client/closed' ? current.client : null
  const gone = closing === null ? undefined : prev.clients.find((c) => c.id === closing)
  const columns =
    gone === undefined ? curr.clients : [...curr.clients, gone].sort((a, b) => a.id - b.id)
  const opening = current?.type === 'client/connected' ? current.client : null
  const lit = (id: number) => focus.clients.includes(id) || pub.clients.has(id)
  const watchedFocus = (key: string) =>
    focus.key === key &&
    (current?.type === 'multi/keyWatched' || current?.type === 'multi/watchTouched')
  const blockingFocus = (key: string) =>
    focus.key === key && current?.type.startsWith('blocking/') === true
  // blocking_keys is shown where a wait is on screen or this command began or ended one.
  const showBlocking =
    curr.blockingKeys.length > 0 || events.some((e) => e.type.startsWith('blocking/'))
  const blockedOn = (id: number) =>
    curr.blockingKeys.flatMap((g) => g.keys.filter((k) => k.clients.includes(id)))
  const subFocus = (name: string) =>
    (focus.key === name && current?.type.startsWith('pubsub/') === true) ||
    pub.channel === name ||
    pub.patterns.includes(name)
  return (
    <section className="clients-panel" data-testid="clients-panel">
      <p>{text.explain[lang]}</p>
      <StepCaption testId="clients-narration">
        {current ? narration[current.type](current as never)[lang] : ''}
      </StepCaption>
      {line !== null && (
        <p className="clients-outcome" data-testid="clients-outcome" data-event={current?.type}>
          {line}
        </p>
      )}
      <div className="clients-columns">
        {columns.length === 0 && <p className="panel-empty">{text.noClients[lang]}</p>}
        {columns.map((c) => (
          <article
            key={c.id}
            className={
              (lit(c.id) ? 'clients-client clients-client--lit' : 'clients-client') +
              (c.id === closing ? ' clients-client--closed' : '')
            }
            style={
              c.id === opening ? { opacity } : c.id === closing ? { opacity: 1 - opacity / 2 } : {}
            }
            data-client={c.id}
            data-lit={lit(c.id) ? 'true' : undefined}
            data-state={c.id === closing ? 'closed' : c.id === opening ? 'connected' : undefined}
            aria-label={`${text.client[lang]} ${String(c.id)}`}
          >
            <h3>
              {text.client[lang]} #{c.id}
              {c.name !== '' && <span className="clients-name"> {show(c.name)}</span>}
              <span className="clients-db"> db{c.db}</span>
              {c.id === closing && <span className="clients-state"> {text.closed[lang]}</span>}
              {c.id === opening && <span className="clients-state"> {text.connected[lang]}</span>}
            </h3>
            <ul className="clients-flags" aria-label="flags">
              {c.flags.map((f) => (
                <li key={f} className={`clients-flag clients-flag--${f}`} data-flag={f}>
                  {FLAG_TEXT[f][lang]}
                </li>
              ))}
            </ul>
            {blockedOn(c.id).length > 0 && (
              <>
                <h4>{text.blockedOn[lang]}</h4>
                <ul className="clients-watched" data-testid={`blocked-on-${String(c.id)}`}>
                  {blockedOn(c.id).map((k) => (
                    <li key={k.key}>{show(k.key)}</li>
                  ))}
                </ul>
              </>
            )}
            <h4>{text.queue[lang]}</h4>
            {c.queued.length === 0 ? (
              <p className="clients-none">{text.emptyQueue[lang]}</p>
            ) : (
              <ol className="clients-queue" data-testid={`queue-${String(c.id)}`}>
                {c.queued.map((argv, i) => (
                  <li
                    key={i}
                    style={i >= (prevQueued.get(c.id) ?? 0) ? { opacity } : undefined}
                    data-queued="true"
                  >
                    <code>{argv.map(show).join(' ')}</code>{' '}
                    <span className="clients-queued">QUEUED</span>
                  </li>
                ))}
              </ol>
            )}
            <h4>{text.watched[lang]}</h4>
            {c.watched.length === 0 ? (
              <p className="clients-none">{text.none[lang]}</p>
            ) : (
              <ul className="clients-watched">
                {c.watched.map((w) => (
                  <li key={`${String(w.db)}:${w.key}`} data-watch={`${String(w.db)}:${w.key}`}>
                    <a href={`#watched-${String(w.db)}-${encodeURIComponent(w.key)}`}>
                      {show(w.key)}
                    </a>
                    {w.db !== c.db && <span className="clients-db"> db{w.db}</span>}
                  </li>
                ))}
              </ul>
            )}
            <h4>{text.subscriptions[lang]}</h4>
            {c.channels.length + c.shardChannels.length + c.patterns.length === 0 ? (
              <p className="clients-none">{text.none[lang]}</p>
            ) : (
              <ul className="clients-subs">
                {c.channels.map((ch) => (
                  <li key={`c:${ch}`}>{show(ch)}</li>
                ))}
                {c.shardChannels.map((ch) => (
                  <li key={`s:${ch}`}>
                    {show(ch)} <small>(shard)</small>
                  </li>
                ))}
                {c.patterns.map((p) => (
                  <li key={`p:${p}`}>
                    <code>{show(p)}</code>
                  </li>
                ))}
              </ul>
            )}
            {c.tracking !== null && (
              <>
                <h4>{text.tracking[lang]}</h4>
                <p className="clients-tracking" data-testid={`tracking-${String(c.id)}`}>
                  <code>{c.tracking.flags.join(' ')}</code>
                  {c.tracking.redirect > 0 && (
                    <> {fill(text.redirect[lang], { id: c.tracking.redirect })}</>
                  )}
                </p>
                {c.tracking.prefixes.length > 0 && (
                  <p className="clients-tracking-prefixes">
                    {text.prefixes[lang]}{' '}
                    {c.tracking.prefixes.map((p) => (
                      <code key={p}>{p === '' ? '""' : show(p)} </code>
                    ))}
                  </p>
                )}
                {c.tracking.keys.length > 0 && (
                  <>
                    <p className="clients-none">{text.trackedKeys[lang]}</p>
                    <ul className="clients-tracked" data-testid={`tracked-keys-${String(c.id)}`}>
                      {c.tracking.keys.map((k) => (
                        <li
                          key={k}
                          data-tracked={k}
                          data-lit={
                            focus.key === k && current?.type.startsWith('tracking/') === true
                              ? 'true'
                              : undefined
                          }
                        >
                          {show(k)}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </article>
        ))}
      </div>
      <div className="clients-dicts">
        {curr.watchedKeys.length === 0 ? (
          <p className="clients-none" data-testid="watched-keys-empty">
            {text.noWatched[lang]}
          </p>
        ) : (
          curr.watchedKeys.map((g) => (
            <DictTable
              key={g.db}
              title={fill(text.watchedKeys[lang], { db: g.db })}
              testId={`watched-keys-${String(g.db)}`}
              rows={g.keys.map((k) => ({
                name: k.key,
                clients: k.clients,
                id: `watched-${String(g.db)}-${encodeURIComponent(k.key)}`,
                lit: watchedFocus(k.key),
              }))}
              lang={lang}
            />
          ))
        )}
        {showBlocking &&
          (curr.blockingKeys.length === 0 ? (
            <p className="clients-none" data-testid="blocking-keys-empty">
              {text.noBlocking[lang]}
            </p>
          ) : (
            curr.blockingKeys.map((g) => (
              <DictTable
                key={`b${String(g.db)}`}
                title={fill(text.blockingKeys[lang], { db: g.db })}
                testId={`blocking-keys-${String(g.db)}`}
                rows={g.keys.map((k) => ({
                  name: k.key,
                  clients: k.clients,
                  lit: blockingFocus(k.key),
                }))}
                lang={lang}
              />
            ))
          ))}
        {[
          { title: text.channels[lang], testId: 'pubsub-channels', list: curr.pubsubChannels },
          {
            title: text.shardChannels[lang],
            testId: 'pubsub-shardchannels',
            list: curr.pubsubShardChannels,
          },
          {
            title: text.patterns[lang],
            testId: 'pubsub-patterns',
            list: curr.pubsubPatterns.map((p) => ({ channel: p.pattern, clients: p.clients })),
          },
        ]
          // Shard channels only once there are any (cluster-only in practice).
          .filter((d) => d.testId !== 'pubsub-shardchannels' || d.list.length > 0)
          .map((d) => (
            <DictTable
              key={d.testId}
              title={d.title}
              testId={d.testId}
              rows={d.list.map((x) => ({
                name: x.channel,
                clients: x.clients,
                lit: subFocus(x.channel),
              }))}
              lang={lang}
            />
          ))}
      </div>
      {curr.truncated && <p className="clients-none">{text.truncated[lang]}</p>}
    </section>
  )
}

interface Row {
  readonly name: string
  readonly clients: readonly number[]
  readonly lit: boolean
  readonly id?: string
}

/** One server-side dict: name → the clients it points at. */
function DictTable(props: {
  title: string
  testId: string
  rows: readonly Row[]
  lang: Lang
}): ReactNode {
  const lit = props.rows.some((r) => r.lit)
  return (
    <>
      <table className="clients-dict" data-testid={props.testId}>
        <caption>{props.title}</caption>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td className="clients-none">{text.empty[props.lang]}</td>
            </tr>
          ) : (
            props.rows.map((r) => (
              <tr
                key={r.name}
                id={r.id}
                data-name={r.name}
                data-lit={r.lit ? 'true' : undefined}
                className={r.lit ? 'clients-row--lit' : undefined}
              >
                <th scope="row">{show(r.name)}</th>
                <td>
                  {r.clients.map((id, i) => (
                    <span key={i} className="clients-chip" data-client={id}>
                      #{id}
                    </span>
                  ))}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <Legend
        items={lit ? [{ box: 'clients-row--lit', label: text.litRow[props.lang], id: 'lit' }] : []}
        lang={props.lang}
      />
    </>
  )
}

export const ClientsPanel = memo(ClientsPanelImpl)

/** Registry entry: the panel for kind 'clients'. */
export default function ClientsEntry(p: PanelProps): ReactNode {
  const after = asClientsView(p.after ?? p.before)
  const before = asClientsView(p.before)
  const own = useMemo(() => p.events.filter(isClientsEvent), [p.events])
  const { k, t } = useOwnStep(p, isClientsEvent)
  if (after === null) return null
  return (
    <ClientsPanel
      before={before}
      after={after}
      events={own}
      step={k}
      t={t}
      lang={p.lang}
      settled={isSettled(p)}
    />
  )
}
