package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's print callback, installed once. libbpf calls it on the thread that called into
 * libbpf, so a thread-local capture collects exactly the messages of one operation (open, load,
 * attach): they end up in the exception when the operation fails, and in the System.Logger
 * "dev.tomoyoctl.loader.libbpf" otherwise. It is a JNA callback, so it is used for control
 * operations only, never on an event path.
 *
 * <p>The message arrives as a printf format plus a va_list; glibc's vsnprintf formats it. The
 * va_list is consumed by formatting, so a copy is taken first (on x86_64 and aarch64 va_copy is a
 * plain copy of the 24- or 32-byte va_list object) for the second, right-sized attempt that long
 * messages need: the verifier log arrives as one message of up to megabytes.
 */
final class LibbpfLog {
    static final int LIBBPF_WARN = 0;
    static final int LIBBPF_INFO = 1;
    static final int LIBBPF_DEBUG = 2;

    private static final System.Logger LOG = System.getLogger("dev.tomoyoctl.loader.libbpf");
    private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();
    private static final int VA_LIST_SIZE = Platform.isIntel() && Platform.is64Bit() ? 24
            : Platform.isARM() && Platform.is64Bit() ? 32 : 0;
    private static final int FIRST_TRY = 4096;
    // Strongly referenced for the life of the class: libbpf keeps the raw function pointer.
    private static final LibBpf.PrintFn CALLBACK = LibbpfLog::print;
    private static boolean installed;

    private LibbpfLog() {}

    static synchronized void install() {
        if (!installed) {
            LibBpf.libbpf_set_print(CALLBACK);
            installed = true;
        }
    }

    /** Starts collecting this thread's libbpf WARN and INFO messages until {@link Capture#close()}. */
    static Capture capture() {
        install();
        Capture c = new Capture(CAPTURE.get());
        CAPTURE.set(c);
        return c;
    }

    static final class Capture implements AutoCloseable {
        private final Capture outer;
        private final List<String> lines = new ArrayList<>();
        private boolean failed;

        private Capture(Capture outer) {
            this.outer = outer;
        }

        List<String> lines() {
            return lines;
        }

        /** Marks the operation failed: its messages go into the exception, not the log. */
        void failed() {
            failed = true;
        }

        @Override
        public void close() {
            CAPTURE.set(outer);
            if (outer != null) {
                outer.lines.addAll(lines);
            } else if (!failed) {
                for (String line : lines) {
                    LOG.log(Level.WARNING, line);
                }
            }
        }
    }

    private static int print(int level, Pointer format, Pointer vaList) {
        try {
            Capture c = CAPTURE.get();
            boolean wanted = level <= LIBBPF_INFO ? true : LOG.isLoggable(Level.DEBUG);
            if (!wanted) {
                return 0;
            }
            String msg = format(format, vaList);
            if (c != null && level <= LIBBPF_INFO) {
                c.lines.add(msg);
            } else {
                LOG.log(level == LIBBPF_WARN ? Level.WARNING : level == LIBBPF_INFO ? Level.INFO : Level.DEBUG, msg);
            }
        } catch (Throwable t) {
            // Never let an exception unwind into libbpf's C frames.
        }
        return 0;
    }

    private static String format(Pointer format, Pointer vaList) {
        Memory copy = null;
        if (VA_LIST_SIZE > 0) {
            copy = new Memory(VA_LIST_SIZE);
            copy.write(0, vaList.getByteArray(0, VA_LIST_SIZE), 0, VA_LIST_SIZE);
        }
        Memory buf = new Memory(FIRST_TRY);
        int n = LibC.vsnprintf(buf, FIRST_TRY, format, vaList);
        if (n < 0) {
            return format.getString(0);
        }
        if (n >= FIRST_TRY && copy != null) {
            buf = new Memory(n + 1L);
            n = LibC.vsnprintf(buf, n + 1L, format, copy);
        }
        int len = (int) Math.min(n, buf.size() - 1);
        String s = new String(buf.getByteArray(0, len), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
