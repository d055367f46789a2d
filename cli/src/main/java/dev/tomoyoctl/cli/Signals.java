package dev.tomoyoctl.cli;

/**
 * Ignores SIGINT/SIGQUIT in this JVM while a child runs in the foreground (a shell does the
 * same for its children): ^C then stops the child, and `learn` still reports what it learned.
 * Uses sun.misc.Signal (jdk.unsupported); where that is missing, nothing is ignored.
 */
final class Signals {
    private static final String[] NAMES = {"INT", "QUIT"};
    private static Object[] saved;

    private Signals() {
    }

    static synchronized void ignoreInterrupts() {
        try {
            saved = new Object[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                saved[i] = sun.misc.Signal.handle(new sun.misc.Signal(NAMES[i]), sun.misc.SignalHandler.SIG_IGN);
            }
        } catch (IllegalArgumentException | LinkageError e) {
            saved = null; // signal not available in this VM (e.g. -Xrs): keep the default behaviour
        }
    }

    static synchronized void restoreInterrupts() {
        if (saved == null) {
            return;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (saved[i] instanceof sun.misc.SignalHandler h) {
                sun.misc.Signal.handle(new sun.misc.Signal(NAMES[i]), h);
            }
        }
        saved = null;
    }
}
