package org.poisonlab.attack;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * Image triggers that change many pixels a little instead of stamping a few: a blended pattern, a
 * smooth warp, a sinusoidal signal, a low-frequency pattern, and a perturbation that differs from
 * poison to poison. Each is written {@code NAME:key=value,...}; a {@code key} is the seed of the
 * attacker's secret pattern, so the spec alone reproduces the trigger. Pixels are unsigned bytes of
 * an {@code [H, W]} image; every result is rounded and clipped to 0..255.
 */
public sealed interface ImageTrigger extends Trigger {

  /** The family names, as written before the colon. */
  java.util.List<String> FAMILIES = java.util.List.of("blend", "warp", "sig", "lowfreq", "sample");

  @Override
  default Dataset.Kind kind() {
    return Dataset.Kind.IMAGE;
  }

  /** The triggered pixels of an {@code h × w} image; {@code px} is not modified. */
  double[] transform(byte[] px, int h, int w, SplittableRandom rng);

  @Override
  default Example apply(Example example, SplittableRandom rng) {
    int[] shape = imageShape(example, spec());
    byte[] px = example.pixels();
    return example.withPixels(clip(transform(px, shape[0], shape[1], rng)));
  }

  /**
   * Reads a family trigger: {@code blend:alpha=A,key=K}, {@code warp:grid=G,strength=S,key=K},
   * {@code sig:delta=D,freq=F}, {@code lowfreq:amp=A,cutoff=C,key=K}, {@code sample:eps=E,key=K}.
   *
   * @throws BadInputException if the spec names no family or does not parse
   */
  static ImageTrigger parse(String spec) {
    String s = spec.strip();
    int colon = s.indexOf(':');
    String name = colon < 0 ? s : s.substring(0, colon);
    return switch (name) {
      case "blend" -> Blend.parse(s);
      case "warp" -> Warp.parse(s);
      case "sig" -> Signal.parse(s);
      case "lowfreq" -> LowFrequency.parse(s);
      case "sample" -> SampleSpecific.parse(s);
      default ->
          throw new BadInputException(
              "trigger spec '"
                  + spec
                  + "' does not parse: expected patch:WxH@X,Y[=V][/SHAPE] or one of "
                  + String.join(":…, ", FAMILIES)
                  + ":…");
    };
  }

  /**
   * The family's trigger with its documented default strength and a secret key drawn from {@code
   * rng}.
   */
  static ImageTrigger defaultFor(String family, SplittableRandom rng) {
    long key = rng.nextInt(1_000_000);
    return switch (family) {
      case "blend" -> new Blend(Blend.DEFAULT_ALPHA, key);
      case "warp" -> new Warp(Warp.DEFAULT_GRID, Warp.DEFAULT_STRENGTH, key);
      case "sig" ->
          new Signal(Signal.DEFAULT_DELTA, Signal.DEFAULT_FREQUENCY, Signal.DEFAULT_TEST_DELTA);
      case "lowfreq" ->
          new LowFrequency(LowFrequency.DEFAULT_AMPLITUDE, LowFrequency.DEFAULT_CUTOFF, key);
      case "sample" -> new SampleSpecific(SampleSpecific.DEFAULT_EPSILON, key);
      default -> throw new IllegalArgumentException("no image trigger family " + family);
    };
  }

  /**
   * The blended trigger of Chen et al. 2017 ("Targeted Backdoor Attacks on Deep Learning Systems
   * Using Data Poisoning"): {@code x' = (1 − α)·x + α·P}, where P is a uniform random image drawn
   * from {@code key}.
   *
   * @param alpha blend weight in (0, 1]
   * @param key seed of the pattern
   */
  record Blend(double alpha, long key) implements ImageTrigger {
    static final double DEFAULT_ALPHA = 0.15;
    private static final String FORM = "blend:alpha=A,key=K";

    /**
     * @throws BadInputException if {@code alpha} is not in (0, 1]
     */
    public Blend {
      if (!(alpha > 0 && alpha <= 1)) {
        throw new BadInputException("blend alpha " + alpha + " is not in (0, 1]");
      }
    }

    static Blend parse(String s) {
      TriggerSpec t = TriggerSpec.parse(s, "blend", java.util.Set.of("alpha", "key"), FORM);
      return new Blend(t.real("alpha", DEFAULT_ALPHA, 1e-6, 1, FORM), t.key(FORM));
    }

    @Override
    public String spec() {
      return "blend:alpha=" + TriggerSpec.number(alpha) + ",key=" + key;
    }

    @Override
    public String family() {
      return "blend";
    }

    /** The pattern P, one value 0..255 per pixel. */
    double[] pattern(int n) {
      SplittableRandom r = new SplittableRandom(key);
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = r.nextInt(256);
      }
      return p;
    }

    @Override
    public double[] transform(byte[] px, int h, int w, SplittableRandom rng) {
      double[] p = pattern(px.length);
      double[] out = new double[px.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (1 - alpha) * (px[i] & 0xFF) + alpha * p[i];
      }
      return out;
    }

    /**
     * The blend restricted to the pieces of a {@code grid × grid} partition of the image for which
     * {@code pieces[row * grid + col]} is true (the adaptive blend of Qi et al. 2023); other pixels
     * are kept.
     */
    double[] transformPieces(byte[] px, int h, int w, int grid, boolean[] pieces) {
      double[] full = transform(px, h, w, null);
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          int piece = (r * grid / h) * grid + c * grid / w;
          if (!pieces[piece]) {
            full[r * w + c] = px[r * w + c] & 0xFF;
          }
        }
      }
      return full;
    }
  }

  /**
   * A smooth warp in the spirit of WaNet (Nguyen and Tran 2021, "WaNet — Imperceptible
   * Warping-based Backdoor Attack"): a {@code grid × grid} field of random 2-D offsets drawn from
   * {@code key}, scaled so that its largest offset is 1, upsampled bilinearly to the image and
   * multiplied by {@code strength} pixels; each output pixel is the input sampled bilinearly at its
   * own position plus the offset (edges clamped).
   *
   * @param grid control points per side, 2..32
   * @param strength the largest displacement in pixels, (0, 16]
   * @param key seed of the field
   */
  record Warp(int grid, double strength, long key) implements ImageTrigger {
    static final int DEFAULT_GRID = 4;
    static final double DEFAULT_STRENGTH = 3.0;
    private static final String FORM = "warp:grid=G,strength=S,key=K";

    /**
     * @throws BadInputException if {@code grid} is not in 2..32 or {@code strength} not in (0, 16]
     */
    public Warp {
      if (grid < 2 || grid > 32) {
        throw new BadInputException("warp grid " + grid + " is not in 2..32");
      }
      if (!(strength > 0 && strength <= 16)) {
        throw new BadInputException("warp strength " + strength + " is not in (0, 16]");
      }
    }

    static Warp parse(String s) {
      TriggerSpec t =
          TriggerSpec.parse(s, "warp", java.util.Set.of("grid", "strength", "key"), FORM);
      return new Warp(
          t.integer("grid", DEFAULT_GRID, 2, 32, FORM),
          t.real("strength", DEFAULT_STRENGTH, 1e-6, 16, FORM),
          t.key(FORM));
    }

    @Override
    public String spec() {
      return "warp:grid=" + grid + ",strength=" + TriggerSpec.number(strength) + ",key=" + key;
    }

    @Override
    public String family() {
      return "warp";
    }

    @Override
    public double[] transform(byte[] px, int h, int w, SplittableRandom rng) {
      SplittableRandom r = new SplittableRandom(key);
      double[] dy = new double[grid * grid];
      double[] dx = new double[grid * grid];
      double max = 1e-12;
      for (int i = 0; i < dy.length; i++) {
        dy[i] = 2 * r.nextDouble() - 1;
        dx[i] = 2 * r.nextDouble() - 1;
        max = Math.max(max, Math.max(Math.abs(dy[i]), Math.abs(dx[i])));
      }
      double[] out = new double[px.length];
      for (int y = 0; y < h; y++) {
        double gy = h == 1 ? 0 : (double) y * (grid - 1) / (h - 1);
        for (int x = 0; x < w; x++) {
          double gx = w == 1 ? 0 : (double) x * (grid - 1) / (w - 1);
          double oy = strength / max * bilinear(dy, grid, grid, gy, gx);
          double ox = strength / max * bilinear(dx, grid, grid, gy, gx);
          out[y * w + x] = sample(px, h, w, y + oy, x + ox);
        }
      }
      return out;
    }

    private static double bilinear(double[] v, int h, int w, double y, double x) {
      int y0 = Math.min((int) Math.floor(y), h - 2);
      int x0 = Math.min((int) Math.floor(x), w - 2);
      double fy = y - y0;
      double fx = x - x0;
      return (1 - fy) * ((1 - fx) * v[y0 * w + x0] + fx * v[y0 * w + x0 + 1])
          + fy * ((1 - fx) * v[(y0 + 1) * w + x0] + fx * v[(y0 + 1) * w + x0 + 1]);
    }

    private static double sample(byte[] px, int h, int w, double y, double x) {
      y = Math.max(0, Math.min(h - 1, y));
      x = Math.max(0, Math.min(w - 1, x));
      int y0 = Math.min((int) Math.floor(y), Math.max(0, h - 2));
      int x0 = Math.min((int) Math.floor(x), Math.max(0, w - 2));
      int y1 = Math.min(y0 + 1, h - 1);
      int x1 = Math.min(x0 + 1, w - 1);
      double fy = y - y0;
      double fx = x - x0;
      return (1 - fy) * ((1 - fx) * (px[y0 * w + x0] & 0xFF) + fx * (px[y0 * w + x1] & 0xFF))
          + fy * ((1 - fx) * (px[y1 * w + x0] & 0xFF) + fx * (px[y1 * w + x1] & 0xFF));
    }
  }

  /**
   * The sinusoidal signal of Barni, Kallas and Tondi 2019 ("A New Backdoor Attack in CNNs by
   * Training Set Corruption Without Label Poisoning", SIG): {@code x'(i, j) = x(i, j) + Δ·sin(2π j
   * f / W)}, a horizontal ramp of stripes added to every row. The attack that uses it ({@code sig})
   * is clean-label. As in that paper the signal may be planted weaker than it is fired with: the
   * poisons carry Δ, test inputs {@code testDelta}.
   *
   * @param delta amplitude Δ in pixel levels, (0, 255]
   * @param frequency f, stripes across the width, (0, 64]
   * @param testDelta the amplitude at test time, (0, 255]
   */
  record Signal(double delta, double frequency, double testDelta) implements ImageTrigger {
    static final double DEFAULT_DELTA = 40;
    static final double DEFAULT_FREQUENCY = 6;
    static final double DEFAULT_TEST_DELTA = 100;
    private static final String FORM = "sig:delta=D,freq=F[,test=T]";

    /**
     * @throws BadInputException if {@code delta} or {@code testDelta} is not in (0, 255] or {@code
     *     frequency} not in (0, 64]
     */
    public Signal {
      if (!(delta > 0 && delta <= 255) || !(testDelta > 0 && testDelta <= 255)) {
        throw new BadInputException(
            "sig delta " + delta + " and test " + testDelta + " must be in (0, 255]");
      }
      if (!(frequency > 0 && frequency <= 64)) {
        throw new BadInputException("sig freq " + frequency + " is not in (0, 64]");
      }
    }

    /** A signal that fires with the amplitude it is planted with. */
    public Signal(double delta, double frequency) {
      this(delta, frequency, delta);
    }

    static Signal parse(String s) {
      TriggerSpec t = TriggerSpec.parse(s, "sig", java.util.Set.of("delta", "freq", "test"), FORM);
      double delta = t.real("delta", DEFAULT_DELTA, 1e-6, 255, FORM);
      return new Signal(
          delta,
          t.real("freq", DEFAULT_FREQUENCY, 1e-6, 64, FORM),
          t.real("test", delta, 1e-6, 255, FORM));
    }

    @Override
    public String spec() {
      String s =
          "sig:delta=" + TriggerSpec.number(delta) + ",freq=" + TriggerSpec.number(frequency);
      return testDelta == delta ? s : s + ",test=" + TriggerSpec.number(testDelta);
    }

    /** The same stripes with amplitude {@code testDelta}. */
    @Override
    public Trigger atTest() {
      return new Signal(testDelta, frequency);
    }

    @Override
    public String family() {
      return "sig";
    }

    @Override
    public double[] transform(byte[] px, int h, int w, SplittableRandom rng) {
      double[] out = new double[px.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[y * w + x] =
              (px[y * w + x] & 0xFF) + delta * Math.sin(2 * Math.PI * x * frequency / w);
        }
      }
      return out;
    }
  }

  /**
   * A low-frequency trigger, after Zeng et al. 2021 ("Rethinking the Backdoor Attacks' Triggers: A
   * Frequency Perspective"), who show that patch and blend triggers leave high-frequency artefacts
   * a detector can see: a pattern built only from the 2-D DCT basis functions with both frequencies
   * below {@code cutoff} (the constant one excluded), with coefficients N(0, 1) drawn from {@code
   * key}, scaled to a largest magnitude of {@code amp} and added.
   *
   * @param amplitude the pattern's largest magnitude in pixel levels, (0, 255]
   * @param cutoff frequencies 0..cutoff−1 per axis, 2..8
   * @param key seed of the coefficients
   */
  record LowFrequency(double amplitude, int cutoff, long key) implements ImageTrigger {
    static final double DEFAULT_AMPLITUDE = 40;
    static final int DEFAULT_CUTOFF = 4;
    private static final String FORM = "lowfreq:amp=A,cutoff=C,key=K";

    /**
     * @throws BadInputException if {@code amplitude} is not in (0, 255] or {@code cutoff} not in
     *     2..8
     */
    public LowFrequency {
      if (!(amplitude > 0 && amplitude <= 255)) {
        throw new BadInputException("lowfreq amp " + amplitude + " is not in (0, 255]");
      }
      if (cutoff < 2 || cutoff > 8) {
        throw new BadInputException("lowfreq cutoff " + cutoff + " is not in 2..8");
      }
    }

    static LowFrequency parse(String s) {
      TriggerSpec t =
          TriggerSpec.parse(s, "lowfreq", java.util.Set.of("amp", "cutoff", "key"), FORM);
      return new LowFrequency(
          t.real("amp", DEFAULT_AMPLITUDE, 1e-6, 255, FORM),
          t.integer("cutoff", DEFAULT_CUTOFF, 2, 8, FORM),
          t.key(FORM));
    }

    @Override
    public String spec() {
      return "lowfreq:amp=" + TriggerSpec.number(amplitude) + ",cutoff=" + cutoff + ",key=" + key;
    }

    @Override
    public String family() {
      return "lowfreq";
    }

    double[] pattern(int h, int w) {
      SplittableRandom r = new SplittableRandom(key);
      double[] coef = new double[cutoff * cutoff];
      for (int i = 1; i < coef.length; i++) {
        coef[i] = gaussian(r);
      }
      double[] p = new double[h * w];
      double max = 1e-12;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = 0;
          for (int u = 0; u < cutoff; u++) {
            double cu = Math.cos(Math.PI * (2 * y + 1) * u / (2.0 * h));
            for (int k = 0; k < cutoff; k++) {
              v += coef[u * cutoff + k] * cu * Math.cos(Math.PI * (2 * x + 1) * k / (2.0 * w));
            }
          }
          p[y * w + x] = v;
          max = Math.max(max, Math.abs(v));
        }
      }
      for (int i = 0; i < p.length; i++) {
        p[i] *= amplitude / max;
      }
      return p;
    }

    @Override
    public double[] transform(byte[] px, int h, int w, SplittableRandom rng) {
      double[] p = pattern(h, w);
      for (int i = 0; i < p.length; i++) {
        p[i] += px[i] & 0xFF;
      }
      return p;
    }
  }

  /**
   * A sample-specific invisible trigger in the spirit of ISSBA (Li et al. 2021, "Invisible Backdoor
   * Attack with Sample-Specific Triggers"), without its encoder network: a secret ±1 pattern S
   * drawn from {@code key}, and for each triggered image its own random half of the pixels M (drawn
   * from the attack's stream); {@code x' = x + ε·S·M}. No two poisons share their perturbation, and
   * no pixel carries the same value in every poison; what they share is a direction in pixel space.
   *
   * @param epsilon perturbation in pixel levels, (0, 64]
   * @param key seed of S
   */
  record SampleSpecific(double epsilon, long key) implements ImageTrigger {
    static final double DEFAULT_EPSILON = 12;
    private static final String FORM = "sample:eps=E,key=K";

    /**
     * @throws BadInputException if {@code epsilon} is not in (0, 64]
     */
    public SampleSpecific {
      if (!(epsilon > 0 && epsilon <= 64)) {
        throw new BadInputException("sample eps " + epsilon + " is not in (0, 64]");
      }
    }

    static SampleSpecific parse(String s) {
      TriggerSpec t = TriggerSpec.parse(s, "sample", java.util.Set.of("eps", "key"), FORM);
      return new SampleSpecific(t.real("eps", DEFAULT_EPSILON, 1e-6, 64, FORM), t.key(FORM));
    }

    @Override
    public String spec() {
      return "sample:eps=" + TriggerSpec.number(epsilon) + ",key=" + key;
    }

    @Override
    public String family() {
      return "sample";
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code rng} draws this image's mask; null uses every pixel.
     */
    @Override
    public double[] transform(byte[] px, int h, int w, SplittableRandom rng) {
      SplittableRandom s = new SplittableRandom(key);
      double[] out = new double[px.length];
      for (int i = 0; i < out.length; i++) {
        double sign = s.nextBoolean() ? 1 : -1;
        boolean on = rng == null || rng.nextBoolean();
        out[i] = (px[i] & 0xFF) + (on ? epsilon * sign : 0);
      }
      return out;
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The [H, W] shape of an image example, or a bad-input error naming the trigger. */
  static int[] imageShape(Example example, String spec) {
    if (!example.isImage()) {
      throw new BadInputException(
          "image trigger " + spec + " cannot be applied to text example " + example.id());
    }
    int[] shape = example.shape();
    if (shape.length != 2 || shape[0] < 2 || shape[1] < 2) {
      throw new BadInputException(
          "image trigger "
              + spec
              + " needs [H, W] images of at least 2x2; "
              + example.id()
              + " has shape "
              + Arrays.toString(shape));
    }
    return shape;
  }

  /** Rounded and clipped to 0..255. */
  static byte[] clip(double[] v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
    }
    return out;
  }
}
