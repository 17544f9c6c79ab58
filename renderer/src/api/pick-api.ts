/** Electron exposes the contract on window (preload); a browser talks HTTP to the headless mode. */
import { BRIDGE_KEY, type ParcelTrayApi } from '../../../preload/contract.js';
import { HttpApi } from './http-api.js';

export function pickApi(): ParcelTrayApi {
  const bridged = (window as unknown as Record<string, ParcelTrayApi | undefined>)[BRIDGE_KEY];
  if (bridged) return bridged;
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('parceltray-token') ?? '';
  // Keep the token for reloads, but out of the address bar and browser history.
  if (token) {
    sessionStorage.setItem('parceltray-token', token);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return new HttpApi(token);
}
