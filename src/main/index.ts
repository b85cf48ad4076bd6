/**
 * Electron main process: one window, the RunManager in this process, the API
 * over IPC. Closing or quitting while runs are active asks whether to stop
 * them; a stop is graceful and resumable, and no child process outlives the app.
 */
import { app, type BrowserWindow, dialog, Notification } from 'electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRunsDir } from './orchestrator/config';
import { RunManager } from './orchestrator/service/runManager';
import { registerApiHandlers } from './ipc';
import { applySecurityPolicy, createMainWindow, isOwnRenderer } from './window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// The CLI's folder, so runs started from a terminal in the same place show here (the panel shows which folder it is).
const runsDir = resolve(defaultRunsDir());
const manager = new RunManager({ runsDir, surface: 'gui' });
let window: BrowserWindow | null = null;
let quitting = false;

async function confirmStop(): Promise<boolean> {
  const active = manager.activeRuns;
  if (active.length === 0) return true;
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Stop and quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Stop ${active.length === 1 ? `the run "${active[0]}"` : `${active.length} runs`}?`,
    detail: 'Training stops gracefully; resume it later from where it stopped.',
  });
  return response === 0;
}

async function quitGracefully(): Promise<void> {
  if (quitting) return;
  if (!(await confirmStop())) return;
  quitting = true;
  await manager.shutdown();
  app.quit();
}

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  applySecurityPolicy();
  registerApiHandlers(
    manager,
    () => window?.webContents ?? null,
    (frame) => isOwnRenderer(window, frame, outDir),
  );
  // Notices (a run failed, stopped or completed, a new best, the disk low, a plateau) as desktop notifications.
  manager.onEvent((event) => {
    if (event.type === 'notice' && Notification.isSupported()) new Notification({ title: `Loopdeck: ${event.run}`, body: event.notice.message }).show();
  });
  window = createMainWindow(outDir);
  window.on('close', (event) => {
    if (quitting || manager.activeRuns.length === 0) return;
    event.preventDefault();
    void quitGracefully();
  });
  window.on('closed', () => (window = null));
});

app.on('second-instance', () => window?.focus());
app.on('before-quit', (event) => {
  if (quitting || manager.activeRuns.length === 0) return;
  event.preventDefault();
  void quitGracefully();
});
app.on('window-all-closed', () => {
  if (!quitting) void quitGracefully().then(() => app.quit());
});
// If the app dies without quitting, children still end: execa kills them on exit, and their stdin closes.
