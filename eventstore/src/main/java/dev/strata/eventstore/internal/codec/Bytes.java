package dev.strata.eventstore.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian primitive access to byte arrays, the byte order of every Strata file. */
public final class Bytes {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    public static long getLong(byte[] buffer, int offset) {
        return (long) LONG.get(buffer, offset);
    }

    public static void putLong(byte[] buffer, int offset, long value) {
        LONG.set(buffer, offset, value);
    }

    public static int getInt(byte[] buffer, int offset) {
        return (int) INT.get(buffer, offset);
    }

    public static void putInt(byte[] buffer, int offset, int value) {
        INT.set(buffer, offset, value);
    }

    public static int getUnsignedShort(byte[] buffer, int offset) {
        return Short.toUnsignedInt((short) SHORT.get(buffer, offset));
    }

    public static void putShort(byte[] buffer, int offset, int value) {
        SHORT.set(buffer, offset, (short) value);
    }
}
