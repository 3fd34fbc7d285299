/**
 * The data structures of an MQTT session (spec 4.1 Session State), without any actor or I/O:
 * the packet identifiers in use ({@link io.courier.protocol.session.PacketIdAllocator}), the
 * outbound QoS 1/2 flows not yet acknowledged ({@link io.courier.protocol.session.InflightWindow}),
 * the messages waiting for a slot or for the client ({@link io.courier.protocol.session.OutboundQueue}),
 * and the inbound QoS 2 identifiers awaiting PUBREL
 * ({@link io.courier.protocol.session.InboundQos2Receipts}).
 *
 * <p>They are meant to live inside an event-sourced session entity whose event handlers mutate
 * them, so: one owner, no locking; every mutation is deterministic (no clocks or randomness
 * inside; time comes in as {@code nowMillis}), so replaying the events rebuilds the same state;
 * each has a {@code copy()} that shares nothing mutable with the original (snapshots) and value
 * {@code equals}/{@code hashCode} (a recovered state can be compared with the one it came from).
 * {@link io.courier.protocol.session.Delivery} values are immutable and shared between copies.
 */
package io.courier.protocol.session;
