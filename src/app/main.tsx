import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

function App() {
  return (
    <main>
      <h1>Redis X-Ray</h1>
      <p>See how Redis 7.0 really works inside. 看见 Redis 7.0 的内部结构如何运作。</p>
    </main>
  )
}

const root = document.getElementById('root')
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
