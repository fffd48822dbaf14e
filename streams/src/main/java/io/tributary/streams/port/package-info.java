/**
 * What the roles of a run see of the streams layer: small interfaces (a rollout sink, a scored source, a
 * policy source and sink, metrics sink and source, the ledger, a scorer) that {@code streams} implements
 * on Kafka, so that {@code actors} never touches a Kafka type. {@link io.tributary.streams.port.RunStreams}
 * builds them for one run.
 */
package io.tributary.streams.port;
