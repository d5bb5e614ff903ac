// The options page: the core renders it (see pages.js).
import { loadPage } from './pages.js';

loadPage((core, app) => core.options_start(app));
