import { mount, unmount } from 'svelte';
import type { AppApi } from './api';
import App from './App.svelte';
import './app.css';

/** Renders the app into `target`; returns a function that removes it again. */
export function mountUi(target: HTMLElement, api: AppApi): () => void {
  const app = mount(App, { target, props: { api } });
  return () => void unmount(app);
}
