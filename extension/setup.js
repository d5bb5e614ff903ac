// The first-run setup page: the core renders it (see pages.js).
import { loadPage } from './pages.js';

loadPage((core, app) => core.setup_start(app));
