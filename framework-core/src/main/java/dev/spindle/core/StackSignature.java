package dev.spindle.core;

/** Identifies a blocked loop's stack so the same stall is logged once and then only counted. */
final class StackSignature {

    private StackSignature() {}

    /**
     * What makes two stalls "the same": the call path by class and method, without line numbers
     * and without the JDK frames on top, since a long computation is caught at a different line
     * of the same loop each time.
     */
    static String of(StackTraceElement[] stack) {
        int first = 0;
        while (first < stack.length - 1 && isJdk(stack[first].getClassName())) {
            first++;
        }
        StringBuilder signature = new StringBuilder();
        for (int i = first; i < Math.min(stack.length, first + 48); i++) {
            signature.append(stack[i].getClassName()).append('.').append(stack[i].getMethodName()).append(';');
        }
        return signature.toString();
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("com.sun.");
    }
}
