/**
 * One row of the Addresses page: its address, the value shown (state text, flash on change,
 * stale and bad values greyed with a badge and the reason) and its buttons. The row's elements are
 * built the first time it is shown: a site of thousands of addresses shows one page of them.
 */
import { h } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import type { Address, Quality } from '../peers.js';
import { stateText } from '../value-type.js';

/** What a row's buttons do; `write` is left out for a role that may not write. */
export interface RowActions {
  write?: (row: AddressRow) => void;
  trend: (row: AddressRow, add: boolean) => void;
  mayWrite: boolean;
}

export class AddressRow {
  /** Lower-case key, name, alias and gateway: what the search box matches. */
  readonly text: string;
  /** The value shown, and when it was taken (ms since the epoch; 0 for none). */
  current: unknown;
  date = 0;
  quality: Quality = 'good';
  reason: string | null = null;
  /**
   * Its value may have changed unseen (the row was not followed since the list was read): read it
   * again when the row is followed. The rows shown first are not behind.
   */
  behind = true;
  #element: HTMLTableRowElement | undefined;
  #value!: HTMLElement;
  #shown!: HTMLElement;
  #badge!: HTMLElement;
  #time!: HTMLElement;

  constructor(
    readonly address: Address,
    readonly gateway: string,
    private readonly actions: RowActions,
  ) {
    this.text = [address.key, address.name, address.alias, gateway].join(' ').toLowerCase();
    this.current = address.last?.value;
    this.date = toMs(address.last?.date);
    this.quality = address.last?.quality ?? 'good';
    this.reason = address.last?.reason ?? null;
  }

  get label(): string {
    return this.address.name ?? this.address.key;
  }

  /** The table row, built on first use. */
  get element(): HTMLTableRowElement {
    if (!this.#element) this.#element = this.#build();
    return this.#element;
  }

  /** A value arrived (`flash`: it is news, not a refresh). */
  setValue(value: unknown, date: Date | string | number | null, flash: boolean): void {
    this.current = value;
    this.date = toMs(date);
    if (this.#element) this.#renderValue(flash);
  }

  setQuality(quality: Quality | null | undefined, reason: string | null | undefined): void {
    this.quality = quality ?? 'good';
    this.reason = reason ?? null;
    if (this.#element) this.#renderQuality();
  }

  #build(): HTMLTableRowElement {
    const { address, actions, label } = this;
    this.#shown = h('span', { class: 'shown' });
    this.#badge = h('span', { class: 'quality-badge', hidden: true });
    this.#value = h('td', { class: 'value', 'aria-live': 'off', tabindex: 0 }, this.#shown, this.#badge);
    this.#time = h('td', { class: 'time' });
    const writable = address.info?.writable !== false;
    const write = writable
      ? h('button', { type: 'button', class: 'action', 'aria-label': `Write ${label}` }, 'Write…')
      : h('span', { class: 'muted read-only', title: 'This point cannot be written' }, 'read-only');
    if (writable) write.addEventListener('click', () => actions.write?.(this));
    const trendButton = h('button', { type: 'button', class: 'action', 'aria-label': `Trend of ${label}` }, 'Trend');
    const addButton = h('button', { type: 'button', class: 'action', 'aria-label': `Add ${label} to the trend` }, '+');
    trendButton.addEventListener('click', () => actions.trend(this, false));
    addButton.addEventListener('click', () => actions.trend(this, true));
    const row = h(
      'tr',
      { 'data-key': address.key },
      h('th', { scope: 'row' }, address.key),
      h('td', {}, address.name ?? ''),
      h('td', {}, address.alias ?? ''),
      h('td', {}, this.gateway),
      this.#value,
      h('td', {}, address.unit ?? address.info?.unit ?? ''),
      this.#time,
      h('td', { class: 'actions' }, actions.mayWrite && write, trendButton, addButton),
    );
    this.#element = row;
    this.#renderValue(false);
    this.#renderQuality();
    return row;
  }

  #renderValue(flash: boolean): void {
    const text = stateText(this.current, this.address.info);
    this.#shown.textContent = text ?? formatValue(this.current);
    if (text !== undefined) this.#shown.title = `${text} (${formatValue(this.current)})`;
    else if (typeof this.current === 'object' && this.current !== null)
      this.#shown.title = JSON.stringify(this.current);
    else this.#shown.removeAttribute('title');
    this.#time.textContent = formatTime(this.date === 0 ? null : new Date(this.date));
    if (!flash) return;
    this.#value.classList.remove('flash');
    void this.#value.offsetWidth; // restart the CSS animation
    this.#value.classList.add('flash');
  }

  /** Grey a value that cannot be trusted, with a badge and the reason on hover or focus. */
  #renderQuality(): void {
    const q = this.quality;
    this.#value.dataset.quality = q;
    this.#badge.textContent = q === 'good' ? '' : q;
    this.#badge.hidden = q === 'good';
    if (q === 'good') this.#value.removeAttribute('title');
    else this.#value.title = this.reason ? `${q}: ${this.reason}` : q;
  }
}

function toMs(date: Date | string | number | null | undefined): number {
  if (date === null || date === undefined) return 0;
  const ms = date instanceof Date ? date.getTime() : new Date(date).getTime();
  return Number.isFinite(ms) ? ms : 0;
}
