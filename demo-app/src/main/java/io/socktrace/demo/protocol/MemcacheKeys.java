package io.socktrace.demo.protocol;

/** The memcached rule for keys: 1 to 250 printable ASCII characters, no spaces or control characters. */
public final class MemcacheKeys {

    public static final int MAX_KEY_LENGTH = 250;

    private MemcacheKeys() {
    }

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    public static String requireValid(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("not a valid memcached key: " + key);
        }
        return key;
    }
}
