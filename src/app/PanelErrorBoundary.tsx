/**
 * Keeps the page alive when a panel throws: the panel is replaced by one error line and
 * the rest of the app goes on. Resets when `resetKey` changes (the next command or step).
 */
import { Component, type ErrorInfo, type ReactNode } from 'react'

interface Props {
  readonly resetKey: string
  readonly message: (error: Error) => string
  readonly children: ReactNode
}

interface State {
  readonly error: Error | null
  readonly resetKey: string
}

// Error boundaries must be classes in React; this is the only one in the app.
export class PanelErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('panel failed', error, info.componentStack)
  }

  override render(): ReactNode {
    if (this.state.error)
      return (
        <p className="panel-error" role="alert">
          {this.props.message(this.state.error)}
        </p>
      )
    return this.props.children
  }
}
