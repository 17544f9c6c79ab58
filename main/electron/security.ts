/**
 * Electron's security checklist, in one place: isolated, sandboxed renderers without Node,
 * no navigation, no new windows, no webviews, and IPC only from our own page.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { pathToFileURL } from 'node:url';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Our page, and nothing else, may call the API. */
export function trustedPage(indexHtml: string): (url: string | undefined) => boolean {
  const own = pathToFileURL(indexHtml).href;
  return (url) => !!url && url.split('#')[0]!.split('?')[0] === own;
}

/**
 * The one permission the window needs: writing text to the clipboard ("复制给买家", copy
 * number), and only for our own page. Camera, notifications from the page, geolocation,
 * reading the clipboard and everything else are refused.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined, isTrusted: (url: string) => boolean): boolean {
  return permission === 'clipboard-sanitized-write' && !!requestingUrl && isTrusted(requestingUrl);
}

export function hardenContents(contents: WebContents, isTrusted: (url: string) => boolean, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links the seller clicks (a carrier's site) open in the browser, never in the app.
    if (/^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Electron grants every permission unless told otherwise. Set once on the session the window
 * uses (the default one): camera, microphone, geolocation, notifications from the page and
 * everything else are refused; only permissionAllowed's clipboard write for our page passes.
 */
export function limitPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, isTrusted: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details?.requestingUrl, isTrusted)));
  session.setPermissionCheckHandler((_wc, permission, _origin, details) => permissionAllowed(permission, details?.requestingUrl, isTrusted));
}
