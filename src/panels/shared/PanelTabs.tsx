/**
 * The tab strip of a registry entry that shows one key in more than one panel (an HLL as
 * registers or string bytes, a geo set as a plane or its sorted set, a string as SDS or
 * bits): buttons with role "tab", the selected one marked.
 */
import type { ReactNode } from 'react'

export interface PanelTab<T extends string> {
  readonly id: T
  readonly label: string
}

/** A tablist of `tabs`; `onSelect` gets the id of the tab clicked. */
export function PanelTabs<T extends string>({
  tabs,
  selected,
  label,
  onSelect,
}: {
  tabs: readonly PanelTab<T>[]
  selected: T
  label: string
  onSelect: (id: T) => void
}): ReactNode {
  return (
    <div role="tablist" aria-label={label} className="panel-tabs">
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          aria-selected={selected === tab.id}
          onClick={() => {
            onSelect(tab.id)
          }}
        >
          {tab.label}
        </button>
      ))}
    </div>
  )
}
