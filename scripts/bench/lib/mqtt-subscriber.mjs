// A benchmark's MQTT subscriber in a process of its own (so its CPU time is its own, apart from the
// publisher's): an MQTT 5 persistent session, QoS 1, on the topics given as arguments. The parent
// asks it over IPC to count messages: { id, prefix, n, from, latencies } -> { id, doneAt, latencies }
// once `n` messages under `prefix` with a JSON `value` >= `from` arrived (`doneAt`: epoch ms with
// sub-ms precision, `latencies`: arrival minus the payload's `ts`, ms, when asked for).
import mqtt from 'mqtt';

const [url, ...topics] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const client = await mqtt.connectAsync(url, {
  clientId: 'bench-sub',
  clean: false,
  protocolVersion: 5,
  properties: { sessionExpiryInterval: 600 },
  resubscribe: false,
  reconnectPeriod: 50,
});
await client.subscribeAsync(topics, { qos: 1 });
let job;
client.on('message', (topic, payload) => {
  if (!job || !topic.startsWith(job.prefix)) return;
  const { value, ts } = JSON.parse(payload.toString());
  if (value < job.from) return;
  job.latencies?.push(Date.now() - ts);
  if (++job.count !== job.n) return;
  process.send({ id: job.id, doneAt: now(), latencies: job.latencies ?? null });
  job = undefined;
});
process.on('message', ({ id, prefix, n, from, latencies }) => {
  job = { id, prefix, n, from, count: 0, latencies: latencies ? [] : undefined };
  process.send({ id, ready: true });
});
process.on('disconnect', () => void client.endAsync(true).finally(() => process.exit(0)));
process.send({ ready: true });
