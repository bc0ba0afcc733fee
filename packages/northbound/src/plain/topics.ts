/**
 * Plain-mode topics: a template (`weble/<site>/<gateway>/<key>`) rendered per address, and the
 * write and result topics beside it. Pure.
 */

/** The values a template's placeholders take. */
export interface TopicFields {
  site: string;
  /** Gateway id (as text). */
  gateway: string;
  /** Address key; its `/` make topic levels. */
  key?: string;
  /** The bridge id. */
  id: string;
}

/** MQTT forbids `+` and `#` in a topic name and NUL anywhere (MQTT 5 §4.7.3): replace them with `_`. */
export function topicSafe(text: string): string {
  return text.replace(/[+#\0]/g, '_');
}

/** Render a template: `<site>`, `<gateway>`, `<key>`, `<id>` replaced (made topic-safe). */
export function renderTopic(template: string, fields: TopicFields): string {
  return template.replace(/<(site|gateway|key|id)>/g, (_match, name: keyof TopicFields) =>
    topicSafe(fields[name] ?? ''),
  );
}

/** Where writes to a value topic arrive. */
export function setTopic(valueTopic: string): string {
  return `${valueTopic}/set`;
}

/** Where the result of a write is answered. */
export function resultTopic(valueTopic: string): string {
  return `${valueTopic}/set/result`;
}
