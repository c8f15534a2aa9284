// Entry point of dist/server.js (the bundle the VS Code client starts over IPC).
import { startServer } from './main';

startServer();
