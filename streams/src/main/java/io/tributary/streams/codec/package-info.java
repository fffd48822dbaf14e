/**
 * Agrona flyweight codecs for the records on a run's topics.
 *
 * <p>Every encoding starts with a schema-version byte ({@link io.tributary.streams.codec.WireFormat#SCHEMA_VERSION})
 * and a {@link io.tributary.streams.codec.RecordType} tag byte, then a fixed header, then sections that
 * each start with an int32 count: float32/int32 arrays (count = elements), bit-packed booleans (count =
 * flags, lowest bit first, unused bits zero) and UTF-8 strings (count = bytes). Everything is
 * little-endian and reserved bytes are zero. A record ends exactly where its last section ends.
 *
 * <p>Decoders never trust a count: each is checked against the bytes that remain and against the
 * sizes the header declares before anything is allocated, and every failure, including a record
 * constructor's rejection, surfaces as {@link io.tributary.streams.codec.MalformedRecordException}
 * with the topic, partition and offset.
 */
package io.tributary.streams.codec;
