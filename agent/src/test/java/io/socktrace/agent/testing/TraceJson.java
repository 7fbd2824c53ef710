package io.socktrace.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The JSON Lines event trace as tests read it: every line checked against {@code trace-schema.json} first. */
public final class TraceJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile Schema schema;

    private TraceJson() {
    }

    /** Every line of the trace file, each checked against the schema. */
    public static List<JsonNode> read(Path trace) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            List<Error> errors = schema().validate(line, InputFormat.JSON);
            assertEquals(List.of(), errors.stream().map(Error::toString).collect(Collectors.toList()), line);
            events.add(MAPPER.readTree(line));
        }
        return events;
    }

    private static Schema schema() {
        Schema compiled = schema;
        if (compiled == null) {
            try (InputStream in = TraceJson.class.getResourceAsStream("/io/socktrace/agent/report/trace-schema.json")) {
                compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            schema = compiled;
        }
        return compiled;
    }
}
