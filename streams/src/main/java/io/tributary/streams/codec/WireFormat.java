package io.tributary.streams.codec;

import java.nio.ByteOrder;

/**
 * Constants shared by every codec: each encoding starts with a schema-version byte and a
 * {@link RecordType} tag byte, and all multi-byte values are little-endian.
 */
public final class WireFormat {
    /** Schema version this code writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;
    /** Position of the schema-version byte in every encoding. */
    public static final int VERSION_OFFSET = 0;
    /** Position of the record-type tag byte in every encoding. */
    public static final int TYPE_OFFSET = 1;
    /** Byte order of every multi-byte value; little-endian so x86 and ARM hosts copy arrays without swapping. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    private WireFormat() {
    }
}
