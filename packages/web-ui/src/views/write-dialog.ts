/**
 * The write dialog: one address, an input fitting its type and metadata (a list of its states, a
 * number field with its limits and step that takes the locale's decimal comma, true/false, text,
 * or JSON), checked before anything is sent; Relinquish where the point can be released; the
 * gateway's own refusal is shown as it comes.
 */
import { h } from '../dom.js';
import type { Address, GatewaysModule } from '../peers.js';
import { formatValue } from '../format.js';
import {
  decimalSeparator,
  outOfRange,
  parseValue,
  stateText,
  stateValue,
  valueTypeOf,
  type ValueType,
} from '../value-type.js';

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The input for `type`, or a list of the point's states when it has texts. */
function inputFor(type: ValueType, address: Address, current: unknown, id: string): Input {
  const states = address.info?.states;
  if (states && Object.keys(states).length > 0) {
    const select = h(
      'select',
      { id },
      ...Object.entries(states).map(([key, text]) => h('option', { value: key }, `${text} (${key})`)),
    );
    if (current !== undefined && current !== null && String(current) in states) select.value = String(current);
    return select;
  }
  if (type === 'boolean') {
    const select = h(
      'select',
      { id },
      h('option', { value: 'true' }, 'true'),
      h('option', { value: 'false' }, 'false'),
    );
    select.value = String(current === true);
    return select;
  }
  if (type === 'json') {
    const area = h('textarea', { id, rows: 4, spellcheck: 'false' });
    area.value = current === undefined || current === null ? '' : JSON.stringify(current);
    return area;
  }
  const input = h('input', {
    id,
    type: 'text',
    inputmode: type === 'number' ? 'decimal' : 'text',
    autocomplete: 'off',
  });
  input.value = current === undefined || current === null ? '' : String(current);
  return input;
}

/** "Range 5 .. 30 °C, step 0.5", or nothing when no limit is known. */
function rangeText(address: Address): string {
  const { min, max, step } = address.info ?? {};
  if (min === undefined && max === undefined && step === undefined) return '';
  const range =
    min !== undefined || max !== undefined
      ? `Range ${min ?? '-∞'} .. ${max ?? '∞'}${address.unit ? ` ${address.unit}` : ''}`
      : '';
  return [range, step !== undefined ? `step ${step}` : ''].filter(Boolean).join(', ');
}

/** Open the dialog for `address`; `onWritten` is told what was written (null for a relinquish). */
export function openWriteDialog(
  gateways: GatewaysModule,
  address: Address,
  current: unknown,
  onWritten: (value: unknown) => void,
): void {
  const type = valueTypeOf(address.point, current);
  const id = 'write-value';
  const input = inputFor(type, address, current, id);
  const decimal = decimalSeparator(navigator.language);
  const error = h('p', { class: 'form-error', role: 'alert', id: 'write-error' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Write');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const release = address.info?.relinquish
    ? h(
        'button',
        {
          type: 'button',
          class: 'relinquish',
          title: 'Release this write: the next lower priority (or the default) takes over',
        },
        'Relinquish',
      )
    : undefined;
  const title = address.name ? `${address.key} (${address.name})` : address.key;
  const shown = stateText(current, address.info) ?? formatValue(current);
  const limits = rangeText(address);
  const form = h(
    'form',
    { method: 'dialog', 'aria-describedby': 'write-error' },
    h('h2', { id: 'write-title' }, `Write ${title}`),
    h('p', { class: 'muted' }, `Current value: ${shown}${address.unit ? ` ${address.unit}` : ''}`),
    h(
      'label',
      { for: id },
      `New value (${input instanceof HTMLSelectElement && address.info?.states ? 'state' : type})`,
    ),
    input,
    limits ? h('p', { class: 'muted', id: 'write-range' }, limits) : null,
    error,
    h('div', { class: 'buttons' }, cancel, ...(release ? [release] : []), send),
  );
  const dialog = h('dialog', { class: 'write', 'aria-labelledby': 'write-title' }, form);
  document.body.append(dialog);
  const close = (): void => {
    dialog.close();
    dialog.remove();
  };
  const refuse = (message: string): void => {
    error.textContent = `Not written: ${message}.`;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  const write = (value: unknown): void => {
    input.removeAttribute('aria-invalid');
    send.disabled = true;
    error.textContent = '';
    gateways.writeValue(address.key, value).then(
      () => {
        close();
        onWritten(value);
      },
      (failure: Error & { code?: string }) => {
        send.disabled = false;
        error.textContent = `The gateway refused: ${failure.message}`;
      },
    );
  };
  cancel.addEventListener('click', close);
  release?.addEventListener('click', () => write(null));
  dialog.addEventListener('cancel', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input instanceof HTMLSelectElement && address.info?.states) return write(stateValue(input.value));
    const parsed = parseValue(type, input.value, decimal);
    if ('error' in parsed) return refuse(parsed.error);
    const range = typeof parsed.value === 'number' ? outOfRange(parsed.value, address.info) : undefined;
    if (range) return refuse(range);
    write(parsed.value);
  });
  dialog.showModal();
  input.focus();
}
