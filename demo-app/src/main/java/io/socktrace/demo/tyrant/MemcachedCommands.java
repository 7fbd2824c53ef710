package io.socktrace.demo.tyrant;

import io.socktrace.demo.protocol.CrlfLineReader;
import io.socktrace.demo.protocol.MemcacheKeys;
import io.socktrace.demo.protocol.ProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memcached text commands Tokyo Tyrant understands, over one in-memory store shared by all
 * connections. Every Nth {@code set} (counted server-wide) gets a late reply, standing in for a
 * Tyrant that is busy (syncing, compacting) and answers after the client has given up.
 */
final class MemcachedCommands {

    static final int MAX_VALUE_LENGTH = 1 << 20;
    private static final long MAX_FLAGS = 0xFFFF_FFFFL;
    private static final String VERSION = "1.1.41 (socktrace slow Tokyo Tyrant stand-in)";
    private static final String BAD_FORMAT = "CLIENT_ERROR bad command line format";

    private static final Logger log = LoggerFactory.getLogger(SlowMemcachedServer.class);

    private final ConcurrentMap<String, StoredItem> store = new ConcurrentHashMap<>();
    private final AtomicLong setCount = new AtomicLong();
    private final AtomicLong lateReplyCount = new AtomicLong();
    private final int lateEverySet;
    private final long lateReplyMillis;

    /**
     * @param lateEverySet    every this many {@code set}s one is answered late; 0 means never
     * @param lateReplyMillis how late
     */
    MemcachedCommands(int lateEverySet, long lateReplyMillis) {
        this.lateEverySet = lateEverySet;
        this.lateReplyMillis = lateReplyMillis;
    }

    long lateReplyCount() {
        return lateReplyCount.get();
    }

    /** Runs one command line; reads the data block of a {@code set} from {@code in}. */
    Reply execute(String line, CrlfLineReader in, String connectionName) throws IOException {
        String[] words = line.trim().split(" +");
        switch (words[0]) {
            case "set":
                return set(words, in, connectionName);
            case "get":
                return get(words);
            case "delete":
                return delete(words);
            case "version":
                return words.length == 1 ? Reply.line("VERSION " + VERSION) : Reply.line("ERROR");
            case "quit":
                return Reply.closeSilently();
            default:
                return Reply.line("ERROR");
        }
    }

    /** {@code set <key> <flags> <exptime> <bytes> [noreply]} followed by the data block. */
    private Reply set(String[] words, CrlfLineReader in, String connectionName) throws IOException {
        boolean noreply = words.length == 6 && "noreply".equals(words[5]);
        if ((words.length != 5 && !noreply) || !MemcacheKeys.isValid(words[1])) {
            return Reply.line(BAD_FORMAT);
        }
        long flags = parseNumber(words[2], MAX_FLAGS);
        long exptime = parseNumber(words[3], Integer.MAX_VALUE); // accepted, ignored (like Tyrant)
        long length = parseNumber(words[4], MAX_VALUE_LENGTH);
        if (flags < 0 || exptime < 0 || length < 0) {
            return Reply.line(BAD_FORMAT);
        }
        byte[] data;
        try {
            data = in.readDataBlock((int) length);
        } catch (ProtocolException e) {
            return Reply.lineThenClose("CLIENT_ERROR bad data chunk");
        }
        String key = words[1];
        store.put(key, new StoredItem(flags, data));

        long setNumber = setCount.incrementAndGet();
        if (noreply) {
            return Reply.none();
        }
        if (lateEverySet > 0 && setNumber % lateEverySet == 0 && lateReplyMillis > 0) {
            lateReplyCount.incrementAndGet();
            log.info("{}: set #{} (key {}) stored; holding the reply back {} ms",
                    connectionName, setNumber, key, lateReplyMillis);
            return Reply.lateLine("STORED", lateReplyMillis);
        }
        log.debug("{}: set #{} (key {}) stored", connectionName, setNumber, key);
        return Reply.line("STORED");
    }

    /** {@code get <key>*}: a VALUE block per hit, then END. */
    private Reply get(String[] words) {
        if (words.length < 2) {
            return Reply.line("ERROR");
        }
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        for (int i = 1; i < words.length; i++) {
            String key = words[i];
            if (!MemcacheKeys.isValid(key)) {
                return Reply.line(BAD_FORMAT);
            }
            StoredItem item = store.get(key);
            if (item != null) {
                reply.writeBytes(CrlfLineReader.line("VALUE " + key + " " + item.flags() + " " + item.data().length));
                reply.writeBytes(item.data());
                reply.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        reply.writeBytes(CrlfLineReader.line("END"));
        return Reply.bytes(reply.toByteArray());
    }

    /** {@code delete <key> [0] [noreply]}. */
    private Reply delete(String[] words) {
        boolean noreply = "noreply".equals(words[words.length - 1]);
        int argumentCount = words.length - (noreply ? 1 : 0);
        boolean legacyTime = argumentCount == 3 && "0".equals(words[2]);
        if ((argumentCount != 2 && !legacyTime) || !MemcacheKeys.isValid(words[1])) {
            return Reply.line(BAD_FORMAT);
        }
        boolean deleted = store.remove(words[1]) != null;
        return noreply ? Reply.none() : Reply.line(deleted ? "DELETED" : "NOT_FOUND");
    }

    /** A non-negative decimal up to {@code max}, or -1. */
    private static long parseNumber(String text, long max) {
        if (text.isEmpty() || text.length() > 19) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        long value = Long.parseLong(text);
        return value <= max ? value : -1;
    }
}
