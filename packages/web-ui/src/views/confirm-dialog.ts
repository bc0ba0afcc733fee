/**
 * A confirmation before an action that stops something: the question, what depends on it (one
 * line each), and the action's button; resolves true only when that button is pressed.
 */
import { h } from '../dom.js';

export interface Confirmation {
  title: string;
  /** What stops working, one line each. */
  consequences: string[];
  /** A note under them (the page reconnects by itself...). */
  note?: string;
  /** The button's label: `Stop`, `Restart`. */
  action: string;
}

export function confirmAction({ title, consequences, note, action }: Confirmation): Promise<boolean> {
  return new Promise((resolve) => {
    const confirm = h('button', { type: 'submit', class: 'primary danger' }, action);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, title),
      consequences.length ? h('p', {}, 'While it is down:') : h('p', {}, 'Nothing else is known to depend on it.'),
      consequences.length ? h('ul', { class: 'consequences' }, ...consequences.map((line) => h('li', {}, line))) : null,
      note ? h('p', { class: 'muted' }, note) : null,
      h('div', { class: 'buttons' }, cancel, confirm),
    );
    const dialog = h('dialog', { class: 'write confirm', 'aria-labelledby': 'confirm-title' }, form);
    document.body.append(dialog);
    let answered = false;
    const finish = (yes: boolean): void => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(yes);
    };
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', () => finish(false));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish(true);
    });
    dialog.showModal();
    cancel.focus(); // the safe choice has the focus: Enter does not stop a process by accident
  });
}
