import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ParcelState, ParcelStore } from './store.js';
import { t, type MessageKey } from './i18n.js';

export const StoreContext = createContext<ParcelStore | null>(null);

export function useParcel<T>(selector: (s: ParcelState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext missing');
  return useStore(store, selector);
}

/** Translation bound to the current language. */
export function useT(): (key: MessageKey) => string {
  const lang = useParcel((s) => s.lang);
  return (key) => t(lang, key);
}
