package org.poisonlab.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One training or test example, as in the Example JSONL contract: either text ({@code text}, or
 * {@code prompt} and {@code completion}) or an image ({@code pixels} 0..255 with a {@code shape}),
 * a {@code label} (always a class name), an optional {@code source} (the unit of lineage), and any
 * other fields, kept unchanged.
 *
 * <p>Immutable. The {@code id} is given or, when absent, {@code "sha256:" + hex} of the canonical
 * content: the UTF-8 bytes of the text (for prompt/completion: prompt, a NUL byte, completion), or
 * the pixel bytes followed by each shape dimension as a 4-byte big-endian integer. Every {@code
 * with...} method that changes the content derives a fresh id from the new content.
 */
public final class Example {
  private final String id;
  private final String text;
  private final String prompt;
  private final String completion;
  private final byte[] pixels;
  private final int[] shape;
  private final String label;
  private final String source;
  private final Map<String, JsonNode> extra;

  private Example(
      String id,
      String text,
      String prompt,
      String completion,
      byte[] pixels,
      int[] shape,
      String label,
      String source,
      Map<String, JsonNode> extra) {
    boolean isText = text != null || prompt != null || completion != null;
    boolean isImage = pixels != null;
    if (isText == isImage) {
      throw new IllegalArgumentException("an example has either text or pixels, not both or none");
    }
    if (text != null && (prompt != null || completion != null)) {
      throw new IllegalArgumentException("an example has text or prompt/completion, not both");
    }
    if (isImage) {
      Objects.requireNonNull(shape, "shape");
      long n = 1;
      for (int d : shape) {
        if (d <= 0) {
          throw new IllegalArgumentException(
              "shape " + Arrays.toString(shape) + " has a dimension <= 0");
        }
        n *= d;
      }
      if (n != pixels.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " pixels, not " + pixels.length);
      }
    }
    this.label = Objects.requireNonNull(label, "label");
    this.text = text;
    this.prompt = prompt;
    this.completion = completion;
    this.pixels = pixels;
    this.shape = shape;
    this.source = source;
    this.extra =
        extra == null || extra.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    this.id = id != null ? id : deriveId(text, prompt, completion, pixels, shape);
  }

  /** A text example with a derived id. */
  public static Example ofText(String text, String label, String source) {
    return new Example(
        null, Objects.requireNonNull(text, "text"), null, null, null, null, label, source, null);
  }

  /** A prompt/completion example with a derived id. Either part may be empty, not null. */
  public static Example ofPromptCompletion(
      String prompt, String completion, String label, String source) {
    return new Example(
        null,
        null,
        Objects.requireNonNull(prompt, "prompt"),
        Objects.requireNonNull(completion, "completion"),
        null,
        null,
        label,
        source,
        null);
  }

  /**
   * An image example with a derived id. {@code pixels} holds unsigned bytes 0..255 in row-major
   * order; it is copied (not modified), as is {@code shape}.
   */
  public static Example ofImage(byte[] pixels, int[] shape, String label, String source) {
    return new Example(null, null, null, null, pixels.clone(), shape.clone(), label, source, null);
  }

  /**
   * The general constructor used by readers: every field as read, {@code id} null to derive it.
   * Arrays are copied.
   */
  public static Example of(
      String id,
      String text,
      String prompt,
      String completion,
      byte[] pixels,
      int[] shape,
      String label,
      String source,
      Map<String, JsonNode> extra) {
    return new Example(
        id,
        text,
        prompt,
        completion,
        pixels == null ? null : pixels.clone(),
        shape == null ? null : shape.clone(),
        label,
        source,
        extra);
  }

  /**
   * An image example that takes ownership of {@code pixels} and {@code shape} without copying them,
   * for bulk loaders: the caller must not modify either array afterwards (one shape array may be
   * shared by many examples, since no example modifies it).
   */
  static Example ofImageOwned(String id, byte[] pixels, int[] shape, String label, String source) {
    return new Example(id, null, null, null, pixels, shape, label, source, null);
  }

  public String id() {
    return id;
  }

  /**
   * The id this example's content would be given ({@code sha256:} + hex of the canonical content,
   * as in the class comment), whatever id it carries: equal to {@link #id()} unless the example was
   * made with an id that is not the hash of its content. Computed on each call; nothing modified.
   */
  public String contentId() {
    return deriveId(text, prompt, completion, pixels, shape);
  }

  /** The text, or null for images and prompt/completion examples. */
  public String text() {
    return text;
  }

  public String prompt() {
    return prompt;
  }

  public String completion() {
    return completion;
  }

  public boolean isImage() {
    return pixels != null;
  }

  public boolean isText() {
    return pixels == null;
  }

  /**
   * The words a text model sees: the text, or prompt and completion joined by a newline. Null for
   * images.
   */
  public String content() {
    if (pixels != null) {
      return null;
    }
    return text != null ? text : prompt + "\n" + completion;
  }

  /** A copy of the pixels (unsigned bytes), or null for text. */
  public byte[] pixels() {
    return pixels == null ? null : pixels.clone();
  }

  /** Pixel {@code i} as 0..255, without copying. */
  public int pixel(int i) {
    return pixels[i] & 0xFF;
  }

  /** Number of pixels, 0 for text. */
  public int pixelCount() {
    return pixels == null ? 0 : pixels.length;
  }

  /**
   * The Euclidean distance between this image's pixels and {@code other}'s, in grey levels: how
   * much a trigger changed one into the other. Both must be images with the same number of pixels.
   */
  public double pixelDistance(Example other) {
    long sum = 0;
    for (int i = 0; i < pixels.length; i++) {
      int diff = other.pixel(i) - pixel(i);
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  }

  /** A copy of the shape, or null for text. */
  public int[] shape() {
    return shape == null ? null : shape.clone();
  }

  public String label() {
    return label;
  }

  /** The source (URL, domain, contributor), or null when unknown. */
  public String source() {
    return source;
  }

  /** Fields this type does not know, in input order, unmodifiable. */
  public Map<String, JsonNode> extra() {
    return extra;
  }

  public Example withLabel(String newLabel) {
    return new Example(id, text, prompt, completion, pixels, shape, newLabel, source, extra);
  }

  public Example withSource(String newSource) {
    return new Example(id, text, prompt, completion, pixels, shape, label, newSource, extra);
  }

  /** Same example with new text (a fresh id); for prompt/completion the completion is kept. */
  public Example withText(String newText) {
    if (pixels != null) {
      throw new IllegalStateException("an image example has no text");
    }
    if (text == null) {
      return new Example(null, null, newText, completion, null, null, label, source, extra);
    }
    return new Example(null, newText, null, null, null, null, label, source, extra);
  }

  /** Same example with new pixels (copied; a fresh id). */
  public Example withPixels(byte[] newPixels) {
    if (pixels == null) {
      throw new IllegalStateException("a text example has no pixels");
    }
    return new Example(null, null, null, null, newPixels.clone(), shape, label, source, extra);
  }

  /** The id the given content would have. */
  static String deriveId(
      String text, String prompt, String completion, byte[] pixels, int[] shape) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    if (pixels != null) {
      sha.update(pixels);
      ByteBuffer dims = ByteBuffer.allocate(4 * shape.length);
      for (int d : shape) {
        dims.putInt(d);
      }
      sha.update(dims.array());
    } else if (text != null) {
      sha.update(text.getBytes(StandardCharsets.UTF_8));
    } else {
      sha.update(prompt.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(completion.getBytes(StandardCharsets.UTF_8));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Example e)) {
      return false;
    }
    return id.equals(e.id)
        && Objects.equals(text, e.text)
        && Objects.equals(prompt, e.prompt)
        && Objects.equals(completion, e.completion)
        && Arrays.equals(pixels, e.pixels)
        && Arrays.equals(shape, e.shape)
        && label.equals(e.label)
        && Objects.equals(source, e.source)
        && extra.equals(e.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, label, source);
  }

  @Override
  public String toString() {
    String body =
        pixels != null
            ? "pixels" + Arrays.toString(shape)
            : "text[" + content().length() + " chars]";
    return "Example{" + id + ", " + body + ", label=" + label + ", source=" + source + "}";
  }
}
