package io.socktrace.agent.analysis;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;

/** Which frames of a stack belong to the JDK, and which is the first one that does not. */
public final class Frames {

    private static final String[] JDK_PACKAGES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.jgss.", "org.w3c.dom.", "org.xml.sax."
    };

    private Frames() {
    }

    public static boolean isJdk(String className) {
        for (String prefix : JDK_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Index of the first frame outside the JDK, or -1 if the whole stack is JDK code. */
    public static int firstOutsideJdk(StackTrace stack) {
        return nextOutsideJdk(stack, -1);
    }

    /** Index of the first frame after {@code from} that is outside the JDK; -1 if none. */
    public static int nextOutsideJdk(StackTrace stack, int from) {
        for (int i = from + 1; i < stack.depth(); i++) {
            if (!isJdk(stack.className(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index of the application frame for code that closed or connected at {@code frame}: the first frame outside
     * the JDK, outside {@code libraries} and outside {@code frame}'s own package; -1 if none.
     */
    public static int application(StackTrace stack, int frame, Libraries libraries) {
        String ownPackage = packageOf(stack.className(frame));
        for (int i = frame + 1; i < stack.depth(); i++) {
            String cls = stack.className(i);
            if (!isJdk(cls) && !libraries.contains(cls) && !packageOf(cls).equals(ownPackage)) {
                return i;
            }
        }
        return -1;
    }

    public static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
