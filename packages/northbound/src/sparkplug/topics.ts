/**
 * Sparkplug B 3.0 topics (spec §4.1): `spBv1.0/<group>/<type>/<edge node>[/<device>]`. One device
 * per gateway, named by the gateway id. Pure.
 */
import { topicSafe } from '../plain/topics.js';

/** The Sparkplug B namespace. */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

/** Message types a node publishes or receives. */
export type NodeMessage = 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD';
export type DeviceMessage = 'DBIRTH' | 'DDEATH' | 'DDATA' | 'DCMD';

/** Sparkplug ids cannot hold `/ + #` (§4.1.1): replace them with `_`. */
export function sparkplugId(text: string): string {
  return topicSafe(text).replace(/\//g, '_');
}

/** `spBv1.0/<group>/<type>/<node>`. */
export function nodeTopic(group: string, type: NodeMessage, node: string): string {
  return `${SPARKPLUG_NAMESPACE}/${sparkplugId(group)}/${type}/${sparkplugId(node)}`;
}

/** `spBv1.0/<group>/<type>/<node>/<device>`. */
export function deviceTopic(group: string, type: DeviceMessage, node: string, device: string): string {
  return `${SPARKPLUG_NAMESPACE}/${sparkplugId(group)}/${type}/${sparkplugId(node)}/${sparkplugId(device)}`;
}

/** The device id in a DCMD topic of this node, or undefined when it is not one. */
export function dcmdDevice(topic: string, group: string, node: string): string | undefined {
  const prefix = `${SPARKPLUG_NAMESPACE}/${sparkplugId(group)}/DCMD/${sparkplugId(node)}/`;
  return topic.startsWith(prefix) ? topic.slice(prefix.length) : undefined;
}
