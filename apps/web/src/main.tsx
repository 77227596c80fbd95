import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared tokens and base styles first, so each feature's own stylesheet can refine them.
import './styles.css';
import { App } from './app/App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Installable app (issue 17): the service worker caches only the app shell (public/sw.js).
if ('serviceWorker' in navigator)
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
