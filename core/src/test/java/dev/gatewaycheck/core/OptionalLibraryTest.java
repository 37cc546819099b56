package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Optional means optional, as a rule over every main class: a class that names an optional library (in its constant
 * pool: a type, a signature, a call) is loaded only by the feature that needs that library. The rule is checked in
 * two steps on the compiled classes:
 * <ol>
 *   <li>only the classes listed in {@link #MAY_NAME} name an optional library's package;</li>
 *   <li>those classes are named only by the classes listed in {@link #GUARDED_BY}, which reach them after
 *       {@link OptionalLibrary#present()} said yes, or by classes of the same feature package.</li>
 * </ol>
 * The project's test class path has every optional library, so no test run here could see a
 * {@code NoClassDefFoundError}; the consumer build ({@code examples/src/it/consumer}) runs without them.
 */
class OptionalLibraryTest {

    /** Optional library package (internal form) -> the class-name prefixes allowed to name it. */
    private static final Map<String, List<String>> MAY_NAME = Map.of(
            "org/bouncycastle/", List.of("dev/gatewaycheck/core/tls/RevocationSources"),
            "org/junit/", List.of("dev/gatewaycheck/junit/"),
            "org/testcontainers/", List.of("dev/gatewaycheck/testcontainers/"),
            "com/github/dockerjava/", List.of("dev/gatewaycheck/testcontainers/"));

    /** Library-bound class prefix -> the classes outside its feature package that may name it (after a guard). */
    private static final Map<String, List<String>> GUARDED_BY = Map.of(
            "dev/gatewaycheck/core/tls/RevocationSources", List.of("dev/gatewaycheck/core/tls/Revocation"),
            "dev/gatewaycheck/junit/", List.of(),
            "dev/gatewaycheck/testcontainers/", List.of());

    @Test
    void onlyTheFeatureThatNeedsAnOptionalLibraryNamesIt() throws IOException {
        Map<String, Set<String>> classes = mainClasses();
        assertTrue(classes.containsKey("dev/gatewaycheck/core/DefaultCheckEngine"), classes.keySet().toString());
        Map<String, Set<String>> wrong = new TreeMap<>();
        classes.forEach((name, strings) -> {
            for (Map.Entry<String, List<String>> lib : MAY_NAME.entrySet()) {
                boolean names = strings.stream().anyMatch(s -> s.contains(lib.getKey()));
                if (names && lib.getValue().stream().noneMatch(name::startsWith)) {
                    wrong.computeIfAbsent(name, k -> new TreeSet<>()).add(lib.getKey());
                }
            }
            for (Map.Entry<String, List<String>> bound : GUARDED_BY.entrySet()) {
                String prefix = bound.getKey();
                boolean names = strings.stream().anyMatch(s -> s.contains(prefix));
                boolean sameFeature = name.startsWith(prefix);
                if (names && !sameFeature && !bound.getValue().contains(stripInner(name))) {
                    wrong.computeIfAbsent(name, k -> new TreeSet<>()).add(prefix);
                }
            }
        });
        assertEquals(Map.of(), wrong, "these classes name an optional library, or a class bound to one, outside the "
                + "feature that needs it: reach it only after OptionalLibrary.present() (see OptionalLibrary)");
    }

    @Test
    void theGuardNamesNoOptionalLibrary() throws IOException {
        Set<String> strings = mainClasses().get("dev/gatewaycheck/core/OptionalLibrary");
        for (String lib : MAY_NAME.keySet()) {
            assertFalse(strings.stream().anyMatch(s -> s.contains(lib)), lib);
        }
        assertTrue(OptionalLibrary.BOUNCY_CASTLE.present(), "the project's own tests have Bouncy Castle");
    }

    private static String stripInner(String name) {
        int dollar = name.indexOf('$');
        return dollar < 0 ? name : name.substring(0, dollar);
    }

    /** Every class of core's main output, with the UTF-8 strings of its constant pool (names and descriptors). */
    private static Map<String, Set<String>> mainClasses() throws IOException {
        Path root;
        try {
            root = Path.of(OptionalLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root, 20)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                name = name.substring(0, name.length() - ".class".length());
                try (InputStream in = Files.newInputStream(p)) {
                    out.put(name, constantPoolStrings(in));
                }
            }
        }
        return out;
    }

    /** The CONSTANT_Utf8 entries of a class file (JVMS 4.4). */
    static Set<String> constantPoolStrings(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> strings.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return new HashSet<>(strings);
    }
}
