package io.socktrace.agent;

import io.socktrace.agent.config.Option;

/** {@code java -jar socktrace-agent.jar}: usage and version. The attach command line comes later. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String version = version();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println("socktrace " + version);
            return;
        }
        if (args.length > 0 && !args[0].equals("--help") && !args[0].equals("-h")) {
            System.err.println("socktrace: unknown command '" + args[0] + "' (try --help)");
            System.exit(2);
        }
        StringBuilder usage = new StringBuilder();
        usage.append("socktrace ").append(version)
                .append(": shows which code closes and reopens this JVM's TCP connections, and why\n\n")
                .append("usage: java -javaagent:socktrace-agent.jar[=key=value,key=value...] ...\n\n")
                .append("options (default in brackets):\n");
        for (Option option : Option.values()) {
            usage.append(String.format("  %-16s %s [%s]%n  %-16s   %s%n", option.key(), option.accepted(),
                    option.defaultValue(), "", option.help()));
        }
        usage.append("\nthe report is written at exit, and when the process receives the signal (kill -USR1 <pid>)\n");
        System.out.print(usage);
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
