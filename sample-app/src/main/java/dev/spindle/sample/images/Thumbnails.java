package dev.spindle.sample.images;

import dev.spindle.http.HttpException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Square PNG thumbnails with the JDK's ImageIO: pure CPU work on bytes in memory, which is why
 * the avatar route runs it on the offload pool. ImageIO's disk cache is turned off (it would
 * write temporary files for every stream), and the picture's size is read from its header before
 * anything is decoded, so a small file that claims to be a gigapixel image is refused cheaply.
 */
public final class Thumbnails {

    /** The smallest edge a caller may ask for, in pixels. */
    public static final int MIN_SIZE = 16;

    /** The largest edge a caller may ask for, in pixels. */
    public static final int MAX_SIZE = 512;

    /** Larger pictures are refused before decoding: 40 megapixels is about 160 MB decoded. */
    static final long MAX_PIXELS = 40_000_000L;


    private Thumbnails() {}

    /** {@link #warmUp()} on a daemon thread of its own, so that start-up does not wait for it. */
    public static void warmUpInBackground() {
        Thread warmUp = new Thread(Thumbnails::warmUp, "imageio-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * Loads ImageIO's plugins and native decoders once, at start-up, so that no request (on a
     * worker, or inline on a loop in the demo route) pays for reading jar files and libraries.
     */
    public static void warmUp() {
        ImageIoSetup.done();
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[] {"png", "jpeg", "gif", "bmp"}) {
            square(encode(image, format), MIN_SIZE);
        }
    }

    /**
     * The picture in {@code image} (PNG, JPEG, GIF or BMP), cropped to its centre square and
     * scaled to {@code size} pixels a side, as PNG. Fails with a 400 problem for bytes that are no
     * picture, and 413 for one too large to decode safely.
     */
    public static byte[] square(byte[] image, int size) {
        ImageIoSetup.done();
        BufferedImage source = decode(image);
        int edge = Math.min(source.getWidth(), source.getHeight());
        int x = (source.getWidth() - edge) / 2;
        int y = (source.getHeight() - edge) / 2;
        BufferedImage thumbnail = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = thumbnail.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, size, size, x, y, x + edge, y + edge, null);
        } finally {
            graphics.dispose();
        }
        return encode(thumbnail, "png");
    }

    private static BufferedImage decode(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new HttpException(400, "The body is not a picture ImageIO can read (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new HttpException(413, "The picture has " + pixels + " pixels (at most " + MAX_PIXELS
                            + " are accepted)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HttpException http) {
                throw http;
            }
            throw new HttpException(400, "The picture cannot be read: " + e.getMessage());
        }
    }

    /**
     * ImageIO set up for a server, once, by whichever thread gets here first (the warm-up, as a
     * rule): no display, and no disk cache. Loading ImageIO scans its plugins, which takes a while,
     * so the class that starts the app never touches it.
     */
    private static final class ImageIoSetup {

        static {
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true");
            }
            ImageIO.setUseCache(false);
        }

        static void done() {
            // Loading the class ran the set-up.
        }
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
