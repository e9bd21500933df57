/** What every screen may reach: the app API and the router. Set once by App.svelte. */
import { createContext } from 'svelte';
import type { AppApi } from './api';
import type { Router } from './state/router.svelte';

export interface AppContext {
  api: AppApi;
  router: Router;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
