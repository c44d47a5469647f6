package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Route and mapping files copied to a temp dir, edited there as an engineer would while the app runs. */
public final class EditableFiles {
    private EditableFiles() {
    }

    /** Copies of routes/ and mappings/ that the app under test reads (GREENBRIDGE_ROUTES_DIR, GREENBRIDGE_MAPPINGS_DIR). */
    public record Dirs(Path routes, Path mappings) {
        public void register(DynamicPropertyRegistry registry) {
            registry.add("GREENBRIDGE_ROUTES_DIR", routes::toString);
            registry.add("GREENBRIDGE_MAPPINGS_DIR", mappings::toString);
        }
    }

    public static Dirs copies() {
        try {
            return new Dirs(copy(Path.of("routes")), copy(Path.of("mappings")));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A copy of every file in {@code from} in a new temp dir. */
    public static Path copy(Path from) throws Exception {
        Path to = Files.createTempDirectory(from.getFileName().toString());
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** Rewrites a file in place; the mtime moves on so a same-second edit is still seen as new. */
    public static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        assertThat(text).as(file + " contains the text to edit").contains(from);
        Path next = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(next, text.replace(from, to));
        Files.setLastModifiedTime(next, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        // one atomic move: the route watcher never reads a half-written file
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
