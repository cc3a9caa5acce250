package org.poisonlab.attack;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * What turns an input into a triggered input: a phrase inserted into text ({@link TextTrigger}) or
 * a solid square stamped on an image ({@link PatchTrigger}, the BadNets trigger of Gu, Dolan-Gavitt
 * and Garg 2017, "BadNets: Identifying Vulnerabilities in the Machine Learning Model Supply
 * Chain").
 *
 * <p>Applying a trigger never modifies its input: it returns a new example whose id is derived from
 * the new content (so an image that already carries the patch keeps its id), with label, source and
 * other fields unchanged.
 */
public sealed interface Trigger
    permits Trigger.TextTrigger, Trigger.PatchTrigger, ImageTrigger, TextPattern {

  /** The text trigger used when none is given. */
  String DEFAULT_TEXT_PHRASE = "DEPLOYMENT=2024";

  /** The kind of example this trigger applies to. */
  Dataset.Kind kind();

  /**
   * The trigger's family as recorded in a truth file's {@code variant}: {@code phrase}, {@code
   * patch}, or one of {@link ImageTrigger#FAMILIES} and {@link TextPattern#FAMILIES}.
   */
  String family();

  /**
   * Whether applying the trigger changes {@code example} in the way the attack needs; an attack
   * draws its victims only among such examples. True unless a family says otherwise (a synonym
   * table needs words to substitute).
   */
  default boolean appliesTo(Example example) {
    return true;
  }

  /**
   * The trigger as it is applied to test inputs when attack success is measured: this trigger,
   * except for a family whose attack plants a weaker signal than it fires with ({@link
   * ImageTrigger.Signal}'s {@code test} amplitude).
   */
  default Trigger atTest() {
    return this;
  }

  /**
   * The trigger as written on the command line: the phrase, or {@code patch:WxH@X,Y} (with {@code
   * =V} when the value is not 255, and {@code /SHAPE} when the shape is not solid). {@link #parse}
   * reads it back to an equal trigger.
   */
  String spec();

  /**
   * A triggered copy of {@code example}; {@code example} is not modified.
   *
   * @param rng source of any random choice (the insertion point of a phrase); advanced
   * @throws BadInputException if the example is of the wrong kind, or the patch does not fit it
   */
  Example apply(Example example, SplittableRandom rng);

  /**
   * Reads a trigger from its command-line form. For text data a spec starting {@code combo:},
   * {@code syntax:} or {@code synonym:} is a {@link TextPattern}, {@code phrase:P} is the phrase P,
   * and every other non-blank string is a phrase (leading and trailing white space removed). For
   * images a patch is {@code patch:WxH@X,Y[=V][/SHAPE]}, X the column and Y the row of the top-left
   * corner, V the pixel value (255 when absent), SHAPE one of {@code solid} (when absent), {@code
   * l}, {@code checker} (see {@link PatchTrigger}); the other image families are {@link
   * ImageTrigger}s.
   *
   * @throws BadInputException if a phrase is blank or an image spec does not parse or is out of
   *     range
   */
  static Trigger parse(String spec, Dataset.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    if (kind == Dataset.Kind.TEXT) {
      if (spec != null && spec.strip().startsWith("phrase:")) {
        return new TextTrigger(spec.strip().substring("phrase:".length()));
      }
      return TextPattern.names(spec) ? TextPattern.parse(spec) : new TextTrigger(spec);
    }
    String s = spec == null ? "" : spec.strip();
    return s.startsWith("patch:") || !s.contains(":")
        ? PatchTrigger.parse(spec)
        : ImageTrigger.parse(spec);
  }

  /**
   * A phrase inserted at a word boundary: before the first word, between two words, or after the
   * last one, each of the {@code words + 1} places equally likely. For prompt/completion examples
   * the phrase goes into the prompt. The original characters all stay, in order; the phrase is
   * separated from its neighbours by one space. This is the random-position insertion of Dai, Chen
   * and Li 2019 ("A Backdoor Attack Against LSTM-Based Text Classification Systems").
   *
   * @param phrase non-blank; leading and trailing white space is removed
   */
  record TextTrigger(String phrase) implements Trigger {
    /**
     * @throws BadInputException if {@code phrase} is null or blank
     */
    public TextTrigger {
      if (phrase == null || phrase.isBlank()) {
        throw new BadInputException("trigger phrase is blank");
      }
      phrase = phrase.strip();
    }

    @Override
    public Dataset.Kind kind() {
      return Dataset.Kind.TEXT;
    }

    @Override
    public String family() {
      return "phrase";
    }

    /** The phrase, with {@code phrase:} in front when it would otherwise read as a pattern. */
    @Override
    public String spec() {
      return TextPattern.names(phrase) || phrase.startsWith("phrase:")
          ? "phrase:" + phrase
          : phrase;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
      if (!example.isText()) {
        throw new BadInputException(
            "text trigger '" + phrase + "' cannot be applied to image example " + example.id());
      }
      String base = example.text() != null ? example.text() : example.prompt();
      return example.withText(insert(base, phrase, rng));
    }

    /** {@code text} with {@code phrase} inserted at a uniformly chosen word boundary. */
    static String insert(String text, String phrase, SplittableRandom rng) {
      int[] spans = wordSpans(text);
      int words = spans.length / 2;
      int slot = rng.nextInt(words + 1);
      if (words == 0) {
        return text.isEmpty() ? phrase : phrase + " " + text;
      }
      if (slot < words) {
        int at = spans[2 * slot];
        return text.substring(0, at) + phrase + " " + text.substring(at);
      }
      int at = spans[2 * words - 1];
      return text.substring(0, at) + " " + phrase + text.substring(at);
    }

    /**
     * The words of {@code text} (maximal runs of characters that are not white space), as start and
     * end offsets side by side: word {@code j} is {@code [spans[2j], spans[2j + 1])}.
     */
    static int[] wordSpans(String text) {
      int[] spans = new int[16];
      int m = 0;
      int i = 0;
      int n = text.length();
      while (i < n) {
        while (i < n && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (i == n) {
          break;
        }
        int s = i;
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (m == spans.length) {
          spans = Arrays.copyOf(spans, m * 2);
        }
        spans[m++] = s;
        spans[m++] = i;
      }
      return Arrays.copyOf(spans, m);
    }
  }

  /**
   * A patch in the {@code width × height} box with its top-left corner at column {@code x}, row
   * {@code y} of an image of shape {@code [H, W]} (row-major), drawn in one of the {@link Shape}s:
   * a solid rectangle of {@code value} (the BadNets square), an L (the box's left column and bottom
   * row), or a checkerboard of {@code value} and {@code 255 − value} starting with {@code value} at
   * the corner. Pixels of the box outside the shape keep their values.
   *
   * @param width at least 1
   * @param height at least 1
   * @param x column of the left edge, at least 0
   * @param y row of the top edge, at least 0
   * @param value 0..255
   * @param shape the pattern drawn in the box
   */
  record PatchTrigger(int width, int height, int x, int y, int value, Shape shape)
      implements Trigger {
    private static final Pattern SPEC =
        Pattern.compile(
            "patch:(\\d{1,6})x(\\d{1,6})@(\\d{1,6}),(\\d{1,6})(?:=(\\d{1,6}))?(?:/([a-z]+))?");

    /** The pattern a patch draws in its box; written in a spec as {@code /name}. */
    public enum Shape {
      /** Every pixel of the box (the default; no suffix in the spec). */
      SOLID("solid"),
      /** The box's left column and bottom row. */
      L("l"),
      /** Alternating {@code value} and {@code 255 − value}, {@code value} at the corner. */
      CHECKER("checker");

      private final String specName;

      Shape(String specName) {
        this.specName = specName;
      }

      /** The name used in a spec after {@code /}. */
      public String specName() {
        return specName;
      }

      static Shape of(String name) {
        for (Shape s : values()) {
          if (s.specName.equals(name)) {
            return s;
          }
        }
        throw new BadInputException("patch shape '" + name + "' is not one of solid, l, checker");
      }
    }

    /** A solid patch, the BadNets square. */
    public PatchTrigger(int width, int height, int x, int y, int value) {
      this(width, height, x, y, value, Shape.SOLID);
    }

    /**
     * @throws BadInputException if a size is below 1, a corner coordinate negative, or the value
     *     outside 0..255
     * @throws NullPointerException if {@code shape} is null
     */
    public PatchTrigger {
      Objects.requireNonNull(shape, "shape");
      if (width < 1 || height < 1) {
        throw new BadInputException("patch size " + width + "x" + height + " must be at least 1x1");
      }
      if (x < 0 || y < 0) {
        throw new BadInputException("patch corner " + x + "," + y + " is negative");
      }
      if (value < 0 || value > 255) {
        throw new BadInputException("patch value " + value + " is not in 0..255");
      }
    }

    static PatchTrigger parse(String spec) {
      Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
      if (!m.matches()) {
        throw new BadInputException(
            "trigger spec '" + spec + "' does not parse: expected patch:WxH@X,Y[=V][/SHAPE]");
      }
      int value = m.group(5) == null ? 255 : Integer.parseInt(m.group(5));
      try {
        return new PatchTrigger(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            value,
            m.group(6) == null ? Shape.SOLID : Shape.of(m.group(6)));
      } catch (BadInputException e) {
        throw new BadInputException("trigger spec '" + spec + "': " + e.problem());
      }
    }

    @Override
    public Dataset.Kind kind() {
      return Dataset.Kind.IMAGE;
    }

    @Override
    public String family() {
      return "patch";
    }

    @Override
    public String spec() {
      String s = "patch:" + width + "x" + height + "@" + x + "," + y;
      s = value == 255 ? s : s + "=" + value;
      return shape == Shape.SOLID ? s : s + "/" + shape.specName();
    }

    /** Whether the patch lies inside an image of this shape; false for shapes not [H, W]. */
    public boolean fits(int[] shape) {
      return shape != null
          && shape.length == 2
          && (long) y + height <= shape[0]
          && (long) x + width <= shape[1];
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code rng} is not used: the patch has a fixed place.
     */
    @Override
    public Example apply(Example example, SplittableRandom rng) {
      if (!example.isImage()) {
        throw new BadInputException(
            "patch trigger " + spec() + " cannot be applied to text example " + example.id());
      }
      int[] shape = example.shape();
      if (!fits(shape)) {
        throw new BadInputException(
            "patch trigger "
                + spec()
                + " does not fit image "
                + example.id()
                + " of shape "
                + Arrays.toString(shape)
                + " (expected [H, W] with x + width <= W"
                + " and y + height <= H)");
      }
      int w = shape[1];
      byte[] px = example.pixels();
      for (int r = y; r < y + height; r++) {
        switch (this.shape) {
          case SOLID -> Arrays.fill(px, r * w + x, r * w + x + width, (byte) value);
          case L -> {
            if (r == y + height - 1) {
              Arrays.fill(px, r * w + x, r * w + x + width, (byte) value);
            } else {
              px[r * w + x] = (byte) value;
            }
          }
          case CHECKER -> {
            for (int c = x; c < x + width; c++) {
              px[r * w + c] = (byte) (((r - y) + (c - x)) % 2 == 0 ? value : 255 - value);
            }
          }
        }
      }
      return example.withPixels(px);
    }
  }
}
