package dev.tomoyoctl.loader;

/** The flags of BPF_MAP_UPDATE_ELEM. */
public enum UpdateFlag {
    /** Create or replace (BPF_ANY). */
    ANY(0),
    /** Create only; EEXIST if the key is present (BPF_NOEXIST). */
    NOEXIST(1),
    /** Replace only; ENOENT if the key is absent (BPF_EXIST). */
    EXIST(2);

    final long bits;

    UpdateFlag(long bits) {
        this.bits = bits;
    }
}
