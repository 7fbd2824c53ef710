package io.socktrace.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.socktrace.agent.testing.AgentRun;
import io.socktrace.agent.testing.JavaHomes;
import io.socktrace.agent.testing.ReportJson;
import io.socktrace.agent.testing.TraceJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenTelemetry's attribute names in the JSON report and the event trace, for a connection this JVM opened (the
 * peer is the server) and one it accepted (the peer is the client), beside socktrace's own fields.
 */
class OtelNamesIT {

    static List<Path> javaHomes() {
        return JavaHomes.all();
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void openedAndAcceptedConnectionsNameServerAndClientRightInTheReportAndTheTrace(Path javaHome, @TempDir Path dir)
            throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .mainClass("io.socktrace.scenario.ReadTimeout");
        JsonNode report = run.runForJson();
        int port = Integer.parseInt(run.printed("port"));
        String endpoint = "127.0.0.1:" + port;

        JsonNode made = ReportJson.endpoint(report, endpoint, false);
        assertEquals("127.0.0.1", made.get("network.peer.address").asText(), made.toString());
        assertEquals(port, made.get("network.peer.port").asInt());
        assertEquals(port, made.get("server.port").asInt());
        String hostName = made.get("hostName").isNull() ? null : made.get("hostName").asText();
        assertEquals(hostName != null ? hostName : "127.0.0.1", made.get("server.address").asText(),
                "the name connected to, else the address");
        assertEquals("tcp", made.get("network.transport").asText());
        assertEquals("ipv4", made.get("network.type").asText());
        JsonNode madeCycle = made.get("cycles").get(0);
        int clientPort = madeCycle.get("localPort").asInt();
        assertTrue(clientPort > 0, madeCycle.toString());
        assertEquals(port, madeCycle.get("server.port").asInt(), "opened by this JVM: the peer is the server");
        assertEquals(port, madeCycle.get("network.peer.port").asInt());
        assertEquals("127.0.0.1", madeCycle.get("network.peer.address").asText());
        assertEquals(clientPort, madeCycle.get("client.port").asInt(), "and this JVM the client");
        assertEquals("127.0.0.1", madeCycle.get("client.address").asText());
        assertEquals(clientPort, madeCycle.get("network.local.port").asInt());
        assertEquals("timeout", madeCycle.get("error.type").asText(), "it ended after a read timeout");

        JsonNode accepted = ReportJson.endpoint(report, endpoint, true);
        assertEquals(port, accepted.get("server.port").asInt(), accepted.toString());
        assertEquals(port, accepted.get("network.local.port").asInt());
        assertFalse(accepted.has("network.peer.address"), "a group of clients has no single peer");
        JsonNode acceptedCycle = null;
        for (JsonNode cycle : accepted.get("cycles")) {
            if (cycle.get("peer").asText().equals("127.0.0.1:" + clientPort)) {
                acceptedCycle = cycle;
            }
        }
        assertTrue(acceptedCycle != null, "the accepted side of the same connection: " + accepted);
        assertEquals(port, acceptedCycle.get("server.port").asInt(), "accepted by this JVM: this JVM is the server");
        assertEquals(port, acceptedCycle.get("network.local.port").asInt());
        assertEquals(clientPort, acceptedCycle.get("client.port").asInt(), "and the peer the client");
        assertEquals("127.0.0.1", acceptedCycle.get("client.address").asText());
        assertEquals(clientPort, acceptedCycle.get("network.peer.port").asInt());
        assertEquals("127.0.0.1", acceptedCycle.get("network.peer.address").asText());

        JsonNode connect = null;
        JsonNode accept = null;
        JsonNode timeout = null;
        for (JsonNode event : TraceJson.read(trace)) {
            if (!event.get("endpoint").asText().equals(endpoint)) {
                continue;
            }
            String kind = event.get("event").asText();
            if (kind.equals("connect") && event.get("localPort").asInt() == clientPort) {
                connect = event;
            } else if (kind.equals("accept") && event.get("peer").asText().equals("127.0.0.1:" + clientPort)) {
                accept = event;
            } else if (kind.equals("read_timeout") && timeout == null) {
                timeout = event;
            }
        }
        assertTrue(connect != null && accept != null && timeout != null, "connect, accept and timeout in the trace");
        assertEquals(port, connect.get("server.port").asInt(), connect.toString());
        assertEquals("127.0.0.1", connect.get("network.peer.address").asText());
        assertEquals(port, connect.get("network.peer.port").asInt());
        assertEquals(clientPort, connect.get("client.port").asInt());
        assertEquals(clientPort, connect.get("network.local.port").asInt());
        assertEquals("127.0.0.1", connect.get("network.local.address").asText());
        assertEquals("tcp", connect.get("network.transport").asText());
        assertEquals("ipv4", connect.get("network.type").asText());
        assertFalse(connect.has("error.type"), "a connect that succeeded has no error.type");
        assertEquals(port, accept.get("server.port").asInt(), accept.toString());
        assertEquals(port, accept.get("network.local.port").asInt());
        assertEquals(clientPort, accept.get("client.port").asInt());
        assertEquals(clientPort, accept.get("network.peer.port").asInt());
        assertEquals("127.0.0.1", accept.get("client.address").asText());
        assertEquals("timeout", timeout.get("error.type").asText(), timeout.toString());
    }

    @ParameterizedTest
    @MethodSource("javaHomes")
    void aRefusedConnectHasItsErrorType(Path javaHome, @TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.jsonl");
        AgentRun run = AgentRun.on(javaHome, dir).json().options("trace=" + trace)
                .mainClass("io.socktrace.scenario.ConnectRefused");
        run.runForJson();
        int port = Integer.parseInt(run.printed("port"));
        long refused = 0;
        for (JsonNode event : TraceJson.read(trace)) {
            if (event.get("event").asText().equals("connect_failed")
                    && event.get("endpoint").asText().equals("127.0.0.1:" + port)) {
                refused++;
                assertEquals("connection_refused", event.get("error.type").asText(), event.toString());
                assertEquals(port, event.get("server.port").asInt());
                assertEquals(port, event.get("network.peer.port").asInt());
                assertFalse(event.has("client.port"), "the local port of a failed connect is unknown: " + event);
            }
        }
        assertEquals(3, refused);
    }
}
