package io.socktrace.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

    @Test
    void growingKeepsEveryEntryAndEachCollectedSocketIsPolledOnce() throws Exception {
        ConnectionTable<Integer> table = new ConnectionTable<>(1000);
        List<Object> sockets = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // grows from 16 buckets several times
            Object socket = new Object();
            sockets.add(socket);
            assertTrue(table.add(socket, i));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(i, table.get(sockets.get(i)));
        }
        assertNull(table.get(new Object()));
        for (int i = 0; i < 100; i++) {
            assertEquals(i, table.remove(sockets.get(i)));
            assertNull(table.remove(sockets.get(i)), "a close counts once");
        }
        assertEquals(100, table.openRecords().size());
        sockets.clear(); // the other 100 are collected while "open"
        Set<Integer> polled = new HashSet<>();
        for (int attempt = 0; attempt < 50 && polled.size() < 100; attempt++) {
            System.gc();
            Thread.sleep(20);
            for (Integer record : table.pollCollected()) {
                assertTrue(polled.add(record), "polled twice: " + record);
            }
        }
        assertEquals(100, polled.size());
        assertTrue(polled.stream().allMatch(i -> i >= 100));
        assertEquals(0, table.openRecords().size());
    }

    @Test
    void boundedByCapacityAndTheSameSocketTakesNoNewSlot() {
        ConnectionTable<String> table = new ConnectionTable<>(16);
        Object first = new Object();
        for (int i = 0; i < 16; i++) {
            assertTrue(table.add(i == 0 ? first : new Object(), "r" + i));
        }
        assertTrue(table.full());
        assertFalse(table.add(new Object(), "over"));
        assertNull(table.addIfAbsent(new Object(), "over"));
        assertTrue(table.add(first, "again"), "replacing a socket's entry takes no new slot");
        assertEquals("again", table.get(first));
        assertSame("again", table.addIfAbsent(first, "other"));
        table.remove(first);
        assertFalse(table.full());
    }
}
