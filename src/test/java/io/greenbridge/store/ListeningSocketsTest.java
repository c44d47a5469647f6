package io.greenbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.yaml.snakeyaml.Yaml;

import io.greenbridge.GreenbridgeApplication;
import io.greenbridge.sandbox.GreenbridgeProcess;
import io.greenbridge.sandbox.SandboxApplication;

/**
 * What a started process listens on, read from Linux's /proc: the LISTEN sockets whose inode is one of the
 * process's own file descriptors. With the default store only the server port is open (no H2 AUTO_SERVER port),
 * and the sandbox listens on loopback only.
 */
@EnabledOnOs(OS.LINUX)
class ListeningSocketsTest {
    static final Path WORKTREE = Path.of(System.getProperty("user.dir")).toAbsolutePath();

    record Listener(String address, int port) {
        boolean loopback() {
            return address.equals("0100007F") || address.equals("00000000000000000000000001000000")
                    || address.equals("0000000000000000FFFF00000100007F");
        }
    }

    @Test
    void withTheDefaultStoreOnlyTheServerPortListens() throws Exception {
        Path dir = Files.createTempDirectory("gb-ports");
        int port = GreenbridgeProcess.freePort();
        // spring.datasource.url exactly as application.yaml ships it (${DB_URL:...}, resolved in the child with no DB_URL)
        String shipped = shippedDatasourceUrl();
        assertThat(shipped).startsWith("${DB_URL:jdbc:h2:file:");
        try (GreenbridgeProcess gb = GreenbridgeProcess.start(GreenbridgeApplication.class.getName(), port,
                Map.of("spring.datasource.url", shipped), dir.resolve("run.log"), dir, directories(), "-Xmx384m",
                "-XX:TieredStopAtLevel=1")) {
            gb.awaitUp(Duration.ofSeconds(120));
            assertThat(dir.resolve("data/greenbridge.mv.db")).as("the default file store was used").exists();
            List<Listener> listeners = listeners(gb.pid());
            assertThat(listeners).extracting(Listener::port).containsOnly(port);
        }
    }

    @Test
    void theSandboxListensOnLoopbackOnly() throws Exception {
        Path dir = Files.createTempDirectory("gb-sandbox-ports");
        int port = GreenbridgeProcess.freePort();
        Map<String, String> env = new java.util.HashMap<>(directories());
        env.put("SERVER_PORT", String.valueOf(port));
        try (GreenbridgeProcess sandbox = GreenbridgeProcess.start(SandboxApplication.class.getName(), port, Map.of(),
                dir.resolve("sandbox.log"), dir, env, "-Xmx512m", "-XX:TieredStopAtLevel=1")) {
            sandbox.awaitUp(Duration.ofSeconds(180));
            List<Listener> listeners = listeners(sandbox.pid());
            // Greenbridge, the Greenhouse, Beamery and assessment simulators, the callback receiver and SMTP
            assertThat(listeners).extracting(Listener::port).contains(port);
            assertThat(listeners.size()).isGreaterThanOrEqualTo(4);
            assertThat(listeners).allMatch(Listener::loopback, "bound to 127.0.0.1 or ::1");
            assertThat(dir.resolve("data/sandbox.mv.db")).exists();
        }
    }

    static Map<String, String> directories() {
        return Map.of("GREENBRIDGE_ROUTES_DIR", WORKTREE.resolve("routes").toString(),
                "GREENBRIDGE_MAPPINGS_DIR", WORKTREE.resolve("mappings").toString());
    }

    @SuppressWarnings("unchecked")
    static String shippedDatasourceUrl() throws Exception {
        try (InputStream in = GreenbridgeApplication.class.getResourceAsStream("/application.yaml")) {
            Map<String, Object> yaml = new Yaml().load(in);
            Map<String, Object> spring = (Map<String, Object>) yaml.get("spring");
            return (String) ((Map<String, Object>) spring.get("datasource")).get("url");
        }
    }

    /** LISTEN sockets (tcp and tcp6) owned by the process. */
    static List<Listener> listeners(long pid) throws Exception {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException e) {
                    // closed while listing
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(local[0], Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }
}
