/** The app's one window: sandboxed, isolated, no Node, a strict CSP, no navigation away. */
import { app, BrowserWindow, session, shell, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';

export function applySecurityPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** The dev server's address (electron-vite dev), honoured only in an unpackaged app. */
function devRendererUrl(): string | null {
  return !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null;
}

/** Whether a frame shows our own renderer: the main frame of our window, at the page we loaded. */
export function isOwnRenderer(window: BrowserWindow | null, frame: WebFrameMain | null, outDir: string): boolean {
  if (!window || window.isDestroyed() || !frame || frame !== window.webContents.mainFrame) return false;
  const dev = devRendererUrl();
  if (dev) return frame.url.startsWith(dev);
  return frame.url.split('#')[0] === pathToFileURL(join(outDir, 'renderer', 'index.html')).href;
}

export function createMainWindow(outDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Loopdeck',
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  const dev = devRendererUrl();
  if (dev) void window.loadURL(dev);
  else void window.loadFile(join(outDir, 'renderer', 'index.html'));
  return window;
}
