package dev.cove.core.runtime;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Finds references to {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} in a class
 * file's constant pool (JVMS §4.4): every call site and method reference to them goes through a
 * {@code Methodref} entry there. Reflection can still reach them; this is a guard against the common
 * mistake, not a sandbox.
 */
final class ExitScanner {
    private static final int UTF8 = 1, INTEGER = 3, FLOAT = 4, LONG = 5, DOUBLE = 6, CLASS = 7, STRING = 8,
            FIELDREF = 9, METHODREF = 10, INTERFACE_METHODREF = 11, NAME_AND_TYPE = 12, METHOD_HANDLE = 15,
            METHOD_TYPE = 16, DYNAMIC = 17, INVOKE_DYNAMIC = 18, MODULE = 19, PACKAGE = 20;

    private ExitScanner() {}

    /** The first forbidden call found, e.g. {@code System.exit}, or empty. */
    static Optional<String> exitCall(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        int[] first = new int[count];
        int[] second = new int[count];
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8 -> utf8[i] = in.readUTF();
                case INTEGER, FLOAT -> in.readInt();
                case LONG, DOUBLE -> {
                    in.readLong();
                    i++; // takes two slots
                }
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> first[i] = in.readUnsignedShort();
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case METHOD_HANDLE -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (tags[i] == METHODREF) {
                String owner = utf8[first[first[i]]];
                String name = utf8[first[second[i]]];
                if ("java/lang/System".equals(owner) && "exit".equals(name)) {
                    return Optional.of("System.exit");
                }
                if ("java/lang/Runtime".equals(owner) && ("exit".equals(name) || "halt".equals(name))) {
                    return Optional.of("Runtime." + name);
                }
            }
        }
        return Optional.empty();
    }
}
