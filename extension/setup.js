// The first-run setup page: the core renders it (see pages.js).
import * as core from './pkg/lh3_options.js';
import { loadPage } from './pages.js';

loadPage(core, 'lh3_options', (core, app) => core.setup_start(app));
