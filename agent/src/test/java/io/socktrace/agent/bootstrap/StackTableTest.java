package io.socktrace.agent.bootstrap;

import static io.socktrace.fixture.Frames.captureAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.socktrace.agent.bootstrap.StackTable.StackTrace;
import org.junit.jupiter.api.Test;

class StackTableTest {

    @Test
    void theSameStackIsStoredOnceWithACount() {
        StackTable table = new StackTable(16, 64);
        int first = StackTable.NO_STACK;
        for (int i = 0; i < 3; i++) {
            int id = captureAt(table, 2); // one call site: the same stack each time
            first = i == 0 ? id : first;
            assertEquals(first, id);
        }
        assertEquals(1, table.stacks().size());
        assertEquals(3, table.stacks().get(0).count());
        assertNotEquals(first, captureAt(table, 3));
    }

    @Test
    void theStackStartsAtTheFirstFrameOutsideTheAgent() {
        StackTable table = new StackTable(16, 64);
        captureAt(table, 1);
        StackTrace stack = table.stacks().get(0);
        assertEquals("io.socktrace.fixture.Frames", stack.className(0));
        assertEquals("captureAt", stack.methodName(0));
        assertEquals("Frames.java", stack.fileName(0));
        assertTrue(stack.frame(0).startsWith("io.socktrace.fixture.Frames.captureAt(Frames.java:"), stack.frame(0));
        // the caller in this test is an agent-package frame below the fixture: kept, only the top is cut
        assertEquals(StackTableTest.class.getName(), stack.className(2));
    }

    @Test
    void framesCalledByReflectionOrThroughLambdasAreToldApartByMethod() throws Exception {
        StackTable table = new StackTable(16, 64);
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (String name : new String[] {"captureInA", "captureInB"}) {
            java.lang.reflect.Method method = io.socktrace.fixture.Frames.class.getMethod(name, StackTable.class);
            ids.add((Integer) method.invoke(null, table)); // one call site for both
        }
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ids.add(executor.submit(() -> io.socktrace.fixture.Frames.captureAt(table, 0)).get());
            ids.add(executor.submit(() -> io.socktrace.fixture.Frames.captureAt(table, 0)).get());
        } finally {
            executor.shutdown();
        }
        assertEquals(4, new java.util.HashSet<>(ids).size(), "four stacks: " + table.stacks());
        assertEquals("captureInA", table.stack(ids.get(0)).methodName(0));
        assertEquals("captureInB", table.stack(ids.get(1)).methodName(0));
        for (StackTrace stack : table.stacks()) {
            for (int i = 0; i < stack.depth(); i++) {
                assertTrue(stack.className(i).indexOf('/') < 0, "no hidden frame kept: " + stack.frame(i));
            }
        }
    }

    @Test
    void beyondCapacityCapturesAreDroppedAndCounted() {
        StackTable table = new StackTable(16, 128);
        for (int depth = 0; depth < 20; depth++) {
            captureAt(table, depth);
        }
        assertEquals(16, table.stacks().size());
        assertEquals(4, table.dropped());
        assertEquals(StackTable.NO_STACK, captureAt(table, 25));
        assertEquals(5, table.dropped());
    }

    @Test
    void depthIsBoundedAndTruncationIsMarked() {
        StackTable table = new StackTable(16, 4);
        captureAt(table, 10);
        StackTrace stack = table.stacks().get(0);
        assertEquals(4, stack.depth());
        assertTrue(stack.truncated());
    }
}
