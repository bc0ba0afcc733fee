/**
 * The write dialog: one address, an input fitting its type (a number field, true/false, text, or
 * JSON), checked before anything is sent; the gateway's own refusal is shown as it comes.
 */
import { h } from '../dom.js';
import type { Address, GatewaysModule } from '../peers.js';
import { formatValue } from '../format.js';
import { parseValue, valueTypeOf } from '../value-type.js';

/** Open the dialog for `address`; `onWritten` is told what was written. */
export function openWriteDialog(gateways: GatewaysModule, address: Address, current: unknown, onWritten: (value: unknown) => void): void {
  const type = valueTypeOf(address.point, current);
  const id = 'write-value';
  const input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement =
    type === 'boolean'
      ? h('select', { id }, h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'))
      : type === 'json'
        ? h('textarea', { id, rows: 4, spellcheck: 'false' })
        : h('input', { id, type: 'text', inputmode: type === 'number' ? 'decimal' : 'text', autocomplete: 'off' });
  input.value = current === undefined || current === null ? '' : type === 'json' ? JSON.stringify(current) : String(current);
  const error = h('p', { class: 'form-error', role: 'alert', id: 'write-error' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Write');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const title = address.name ? `${address.key} (${address.name})` : address.key;
  const form = h(
    'form',
    { method: 'dialog', 'aria-describedby': 'write-error' },
    h('h2', { id: 'write-title' }, `Write ${title}`),
    h('p', { class: 'muted' }, `Current value: ${formatValue(current)}${address.unit ? ` ${address.unit}` : ''}`),
    h('label', { for: id }, `New value (${type})`),
    input,
    error,
    h('div', { class: 'buttons' }, cancel, send),
  );
  const dialog = h('dialog', { class: 'write', 'aria-labelledby': 'write-title' }, form);
  document.body.append(dialog);
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const parsed = parseValue(type, input.value);
    if ('error' in parsed) {
      error.textContent = `Not written: ${parsed.error}.`;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    send.disabled = true;
    error.textContent = '';
    gateways.writeValue(address.key, parsed.value).then(
      () => {
        close();
        onWritten(parsed.value);
      },
      (failure: Error & { code?: string }) => {
        send.disabled = false;
        error.textContent = `The gateway refused: ${failure.message}`;
      },
    );
  });
  dialog.showModal();
  input.focus();
}
