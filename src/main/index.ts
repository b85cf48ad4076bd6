// Electron main process entry: filled in by the desktop shell work (issue 4).
import { app } from 'electron';

app.whenReady().then(() => app.quit());
