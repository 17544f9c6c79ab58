import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickApi } from './api/pick-api.js';
import { App } from './components/App.js';
import { createParcelStore } from './store.js';
import { StoreContext } from './store-context.js';
import './styles.css';

const store = createParcelStore(pickApi());
void store.getState().init();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
