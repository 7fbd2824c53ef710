package io.socktrace.scenario.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One unary gRPC method with strings for messages, so that the scenarios need no generated code. */
final class Echo {

    static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("socktrace.Echo", "Echo"))
            .setRequestMarshaller(new Text())
            .setResponseMarshaller(new Text())
            .build();

    private Echo() {
    }

    /** The service answering {@code "echo " + request}. */
    static ServerServiceDefinition service() {
        return ServerServiceDefinition.builder("socktrace.Echo")
                .addMethod(METHOD, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("echo " + request);
                    response.onCompleted();
                }))
                .build();
    }

    /** Prints the server's port, serves until the file {@code stop} exists (60 s at most), then stops it. */
    static void serveUntil(Server server, Path stop) throws Exception {
        System.out.println("port=" + server.getPort());
        for (int i = 0; i < 1_200 && !Files.exists(stop); i++) {
            Thread.sleep(50);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static final class Text implements MethodDescriptor.Marshaller<String> {

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
