/**
 * React access to the app store: a provider for the one store instance, and hooks that take
 * atomic selectors (use useShallow from zustand/shallow when a selector builds an object).
 */
import { createContext, createElement, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { AppState, AppStore } from './store.ts'

const StoreContext = createContext<AppStore | null>(null)

/** Provides a store to the component tree. */
export function AppStoreProvider(props: { store: AppStore; children: ReactNode }): ReactNode {
  return createElement(StoreContext.Provider, { value: props.store }, props.children)
}

/** Returns the store instance (for actions and subscriptions outside render). */
export function useAppStore(): AppStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useAppStore outside AppStoreProvider')
  return store
}

/** Reads a slice of state; re-renders when the selected value changes. */
export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector)
}
