package dev.cove.worker;

/** Well-formed UTF-8, as the Unicode standard's table 3-7 has it: no overlong forms, no surrogates. */
final class Utf8 {
    private Utf8() {}

    /**
     * The length of the multi-byte sequence starting at {@code i} (2 to 4), or 0 when the bytes from
     * there up to {@code end} do not start a well-formed one.
     */
    static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        if (lead < 0xC2 || lead > 0xF4) {
            return 0;
        }
        if (lead < 0xE0) {
            return i + 1 < end && continuation(b[i + 1], 0x80, 0xBF) ? 2 : 0;
        }
        int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        int length = lead < 0xF0 ? 3 : 4;
        if (i + length > end || !continuation(b[i + 1], low, high)) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            if (!continuation(b[i + k], 0x80, 0xBF)) {
                return 0;
            }
        }
        return length;
    }

    private static boolean continuation(byte b, int low, int high) {
        int v = b & 0xFF;
        return v >= low && v <= high;
    }
}
