package dev.spindle.http.internal.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * Resources below a class-path prefix. Those in a directory on the class path (during development)
 * are files, sent like {@link DirectoryLookup}'s and held to the same real-path rule; those in a
 * jar are read into memory (keep large files in a directory), so ranges are not offered for them.
 */
public final class ClasspathLookup implements Lookup {

    /** Larger jar entries are refused: they belong in a directory, where they are sent zero-copy. */
    static final long MAX_IN_MEMORY = 32L << 20;

    private final ClassLoader loader;
    private final String prefix;
    private final List<Path> directoryRoots;

    /** Resources named {@code prefix/...} through {@code loader}. */
    public ClasspathLookup(ClassLoader loader, String prefix) {
        this.loader = loader;
        String trimmed = prefix.replaceAll("^/+|/+$", "");
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
        List<Path> roots = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(trimmed))) {
                if (url.getProtocol().equals("file")) {
                    roots.add(Path.of(url.toURI()).toRealPath());
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException("prefix: " + prefix + " (cannot list it on the class path)", e);
        }
        this.directoryRoots = List.copyOf(roots);
    }

    @Override
    public Optional<Found> find(List<String> segments, String index, List<String> encodings) throws IOException {
        String name = RequestPaths.join(segments);
        Optional<Entry> entry = entry(name);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (entry.get().directory()) {
            if (index == null) {
                return Optional.empty();
            }
            name = name.isEmpty() ? index : name + "/" + index;
            entry = entry(name).filter(found -> !found.directory());
        } else if (RequestPaths.isDirectory(segments)) {
            return Optional.empty();
        }
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Resource> encoded = new LinkedHashMap<>();
        for (String encoding : encodings) {
            entry(name + Lookup.suffix(encoding)).filter(sibling -> !sibling.directory())
                    .ifPresent(sibling -> encoded.put(encoding, sibling.read(encoding)));
        }
        return Optional.of(new Found(name, entry.get().read(""), encoded));
    }

    private Optional<Entry> entry(String name) throws IOException {
        URL url = loader.getResource(name.isEmpty() ? prefix.replaceAll("/$", "") : prefix + name);
        if (url == null) {
            return Optional.empty();
        }
        if (url.getProtocol().equals("file")) {
            Path real;
            try {
                real = Path.of(url.toURI()).toRealPath();
            } catch (URISyntaxException | IOException e) {
                return Optional.empty();
            }
            if (directoryRoots.stream().noneMatch(real::startsWith)) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            if (!attributes.isDirectory() && !attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new Entry(attributes.isDirectory(), encoding -> new Resource.OnDisk(real,
                    attributes.size(), attributes.lastModifiedTime().toMillis(), encoding)));
        }
        URLConnection connection = url.openConnection();
        JarEntry jarEntry = connection instanceof JarURLConnection jar ? jar.getJarEntry() : null;
        if (jarEntry != null && jarEntry.isDirectory()) {
            return Optional.of(new Entry(true, encoding -> {
                throw new IllegalStateException("a directory has no content");
            }));
        }
        long size = connection.getContentLengthLong();
        if (size > MAX_IN_MEMORY) {
            throw new IOException("Class-path resource " + url + " has " + size + " bytes (expected: at most "
                    + MAX_IN_MEMORY + "; serve large files from a directory)");
        }
        // The connection's own date is the jar's; the entry keeps the file's.
        long lastModified = jarEntry != null ? Math.max(0, jarEntry.getTime()) : connection.getLastModified();
        byte[] bytes;
        try (InputStream in = connection.getInputStream()) {
            bytes = in.readAllBytes();
        }
        return Optional.of(new Entry(false, encoding -> new Resource.InMemory(bytes, lastModified, encoding)));
    }

    /** A class-path entry: a directory, or content that becomes a resource with a given coding. */
    private record Entry(boolean directory, java.util.function.Function<String, Resource> content) {
        Resource read(String encoding) {
            return content.apply(encoding);
        }
    }
}
