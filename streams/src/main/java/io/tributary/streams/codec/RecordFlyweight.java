package io.tributary.streams.codec;

import org.agrona.DirectBuffer;

/**
 * What every zero-allocation record view shares: the buffer it reads and where the wrapped record lies
 * in it. Subclasses validate in their {@code wrap} and set these fields only once a record is valid.
 */
public abstract class RecordFlyweight {
    /** The buffer read; null until a valid record is wrapped (and while a wrap is validating). */
    DirectBuffer buffer;
    /** Index of the record's first byte in {@link #buffer}. */
    int start;
    /** Length of the wrapped record in bytes. */
    int length;

    RecordFlyweight() {
    }

    /** The buffer this view reads. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** Index of the record's first byte in {@link #buffer()} (not its Kafka offset). */
    public int index() {
        return start;
    }

    /** Length of the wrapped record in bytes. */
    public int encodedLength() {
        return length;
    }
}
