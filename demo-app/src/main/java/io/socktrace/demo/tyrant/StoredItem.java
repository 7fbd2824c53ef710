package io.socktrace.demo.tyrant;

/** A value in the server's store with the client's opaque flags. */
record StoredItem(long flags, byte[] data) {
}
