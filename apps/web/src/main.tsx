import './styles.css';
import { render } from 'preact';
import { AppStore } from './state/app-store.js';
import { App } from './ui/app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('civtag: the page has no #app element to render into.');
const store = new AppStore();
// The "Loading civtag…" line of the page goes: Preact would keep it below the app, which made
// the page taller than the window (and scrollable) under a layout sized to the window.
root.replaceChildren();
render(<App store={store} />, root);
void store.start();
