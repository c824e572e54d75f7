package dev.spindle.http.internal.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files below a directory. Every candidate is resolved to its real path and must still be below
 * the root's real path, so a symbolic link that points out of the root is a 404 like a missing file.
 */
public final class DirectoryLookup implements Lookup {

    private final Path realRoot;

    /** Files below {@code root}, which must be an existing directory. */
    public DirectoryLookup(Path root) {
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("root: " + root + " (expected: an existing directory)", e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("root: " + root + " (expected: a directory)");
        }
    }

    @Override
    public Optional<Found> find(List<String> segments, String index, List<String> encodings) throws IOException {
        String name = RequestPaths.join(segments);
        Path candidate = name.isEmpty() ? realRoot : realRoot.resolve(name);
        Optional<Path> real = inside(candidate);
        if (real.isEmpty()) {
            return Optional.empty();
        }
        BasicFileAttributes attributes = Files.readAttributes(real.get(), BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            if (index == null) {
                return Optional.empty();
            }
            name = name.isEmpty() ? index : name + "/" + index;
            real = inside(real.get().resolve(index));
            if (real.isEmpty()) {
                return Optional.empty();
            }
            attributes = Files.readAttributes(real.get(), BasicFileAttributes.class);
        } else if (RequestPaths.isDirectory(segments)) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        Resource identity = new Resource.OnDisk(real.get(), attributes.size(), attributes.lastModifiedTime().toMillis(), "");
        Map<String, Resource> encoded = new LinkedHashMap<>();
        for (String encoding : encodings) {
            Path sibling = real.get().resolveSibling(real.get().getFileName() + Lookup.suffix(encoding));
            Optional<Path> realSibling = inside(sibling);
            if (realSibling.isPresent()) {
                BasicFileAttributes siblingAttributes = Files.readAttributes(realSibling.get(), BasicFileAttributes.class);
                if (siblingAttributes.isRegularFile()) {
                    encoded.put(encoding, new Resource.OnDisk(realSibling.get(), siblingAttributes.size(),
                            siblingAttributes.lastModifiedTime().toMillis(), encoding));
                }
            }
        }
        return Optional.of(new Found(name, identity, encoded));
    }

    /** The real path of {@code path} when it exists below the root. */
    private Optional<Path> inside(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Path real = path.toRealPath();
            return real.startsWith(realRoot) ? Optional.of(real) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
