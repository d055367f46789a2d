package dev.tomoyoctl.policy.abi;

/** One member of a C struct: its C name, byte offset and byte size. */
public record AbiField(String name, int offset, int size) {
}
