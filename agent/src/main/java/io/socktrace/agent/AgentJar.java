package io.socktrace.agent;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the agent jar is: the one file the agent, the CLI and the woven-class cache all need the path of. */
public final class AgentJar {

    private AgentJar() {
    }

    /** The jar this class was loaded from. */
    public static Path path() throws URISyntaxException {
        return Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
