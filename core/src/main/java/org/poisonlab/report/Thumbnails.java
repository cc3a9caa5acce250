package org.poisonlab.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Grey-scale images as small PNG data URIs, enlarged by pixel repetition, a patch outlined. */
final class Thumbnails {
  private static final int OUTLINE = 0xE53E3E;

  private Thumbnails() {}

  /** The patch to outline: top-left column {@code x}, row {@code y}, {@code width × height}. */
  record Box(int x, int y, int width, int height) {}

  /**
   * A {@code data:image/png;base64,...} URI of the image, each pixel drawn as {@code scale ×
   * scale}, with a one-pixel red outline just outside {@code box} (clipped to the image).
   *
   * @param pixels row-major grey levels 0..255 (bytes read unsigned); not modified
   * @param height rows; {@code width} columns; {@code pixels.length} must be at least their product
   * @param box the patch, or null
   */
  static String png(byte[] pixels, int height, int width, int scale, Box box) {
    int h = height * scale;
    int w = width * scale;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int v = pixels[(r / scale) * width + c / scale] & 0xFF;
        img.setRGB(c, r, (v << 16) | (v << 8) | v);
      }
    }
    if (box != null) {
      // just outside the patch, or on its own edge where the patch touches the image's edge
      int x0 = Math.max(0, box.x() * scale - 1);
      int y0 = Math.max(0, box.y() * scale - 1);
      int x1 = Math.min(w - 1, (box.x() + box.width()) * scale);
      int y1 = Math.min(h - 1, (box.y() + box.height()) * scale);
      for (int c = x0; c <= x1; c++) {
        set(img, c, y0);
        set(img, c, y1);
      }
      for (int r = y0; r <= y1; r++) {
        set(img, x0, r);
        set(img, x1, r);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer in this Java runtime");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static void set(BufferedImage img, int x, int y) {
    if (x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight()) {
      img.setRGB(x, y, OUTLINE);
    }
  }
}
