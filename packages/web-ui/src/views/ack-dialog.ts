/**
 * The acknowledge dialog: one alarm, an optional comment, and the gateway's refusal shown as it
 * comes (acknowledged already by someone else, unknown alarm).
 */
import { h } from '../dom.js';
import type { AlarmListing, AlarmsModule } from '../alarm-types.js';

/** Open the dialog for `alarm`; `onDone` is told once it is acknowledged. */
export function openAckDialog(alarms: AlarmsModule, alarm: AlarmListing, onDone: () => void): void {
  const comment = h('textarea', { id: 'ack-comment', rows: 3, maxlength: 1000 });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'ack-error' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Acknowledge');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { method: 'dialog', 'aria-describedby': 'ack-error' },
    h('h2', { id: 'ack-title' }, `Acknowledge ${alarm.id}`),
    h('p', { class: 'muted' }, alarm.message),
    h('label', { for: 'ack-comment' }, 'Comment'),
    comment,
    error,
    h('div', { class: 'buttons' }, cancel, send),
  );
  const dialog = h('dialog', { class: 'write', 'aria-labelledby': 'ack-title' }, form);
  document.body.append(dialog);
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send.disabled = true;
    error.textContent = '';
    alarms.ack(alarm.id, comment.value.trim()).then(
      () => {
        close();
        onDone();
      },
      (failure: Error) => {
        send.disabled = false;
        error.textContent = `Not acknowledged: ${failure.message}`;
      },
    );
  });
  dialog.showModal();
  comment.focus();
}
