package io.tributary.actors.cluster;

/**
 * Marks a message that may cross nodes of a training cluster: the node command binds it to Pekko's
 * {@code jackson-json} serializer ({@code tributary.cluster.pekko.actor.serialization-bindings}), and Java
 * serialization is off in cluster mode, so a cross-node message without this marker fails loudly instead
 * of travelling as Java-serialized bytes. Records implementing it need only Jackson-readable fields
 * (numbers, strings, maps, lists, typed {@code ActorRef}s).
 */
public interface JsonSerializable {
}
