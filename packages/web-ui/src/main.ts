/** Entry: the UI starts at once (the page is static; first paint needs no round trip). */
import './style.css';
import { startApp } from './app.js';

startApp(document.getElementById('app')!);
