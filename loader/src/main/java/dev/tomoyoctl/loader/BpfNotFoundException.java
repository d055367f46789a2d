package dev.tomoyoctl.loader;

import java.util.List;

/** A named program, map, variable, pin or process does not exist. */
public class BpfNotFoundException extends BpfException {
    public BpfNotFoundException(String message) {
        super(message);
    }

    public BpfNotFoundException(String message, int errno, List<String> libbpfLog) {
        super(message, errno, libbpfLog, null);
    }
}
