package org.poisonlab.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.deep.CodeLanguageModel;
import org.poisonlab.deep.CodeTokens;
import org.poisonlab.deep.DeepRuntime;

/**
 * How fast does the code language model ({@link CodeLanguageModel}) pre-train and generate? Loads
 * the pinned {@code java-code} train split (cached under {@link PinnedDatasets#home()}), learns
 * PIECES code pieces from it ({@link CodeTokens#learn}), initialises a model of the given shape,
 * pre-trains it for STEPS steps of BATCH windows of WINDOW tokens (Adam 1e-3, warm-up over the
 * first 5 % of steps, gradient norm clipped at 1), then generates GEN_TOKENS tokens greedily for
 * GEN_PROMPTS prompts: the first {@value #PROMPT_CHARS} characters of the test split's documents,
 * cycling. The side-by-side peer is {@code bench/scripts/lm_torch_peer.py}, compared by {@code
 * bench/scripts/lm-vs-pytorch.sh}.
 *
 * <p>{@code train_seconds} is the training loop of {@link CodeLanguageModel#pretrain} ({@link
 * CodeLanguageModel.Trained#seconds}): per step, the parameters copied from Java arrays into
 * PyTorch tensors, the forward and backward pass, the gradients copied back, clipping and Adam in
 * Java. Encoding the corpus and cutting the windows, which {@code pretrain} does before its loop,
 * are reported apart as {@code pretrain_call_seconds} (the whole call). {@code generation_seconds}
 * is the whole {@link CodeLanguageModel#generate} call (encoding the prompts, parameters into
 * tensors, the prompt pass, the cached one-token steps, decoding). {@code generation_tokens} counts
 * the positions the batched loop decodes: per batch of at most 128 prompts, the prompts times the
 * token budget ({@code min(GEN_TOKENS, CONTEXT − longest prompt)}), which it decodes unless every
 * prompt of the batch writes the end mark sooner; {@code generated_text_tokens} is the completions'
 * text encoded again ({@link CodeLanguageModel#tokenCount}), which may differ from the ids written
 * (characters that spell a piece read back as one token, pieces that run together as several). Data
 * loading, learning the pieces, JVM start and loading PyTorch's native library (reported as {@code
 * engine_load_seconds}, the counterpart of the peer's {@code import torch}) come before the clock.
 * Progress goes to standard error; standard output is one JSON line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.LanguageModelRun WIDTH LAYERS HEADS FF CONTEXT PIECES STEPS BATCH \
 *     WINDOW GEN_PROMPTS GEN_TOKENS SEED
 * java ... org.poisonlab.bench.LanguageModelRun 128 4 4 512 320 2000 200 16 256 128 64 0
 * java ... org.poisonlab.bench.LanguageModelRun export DIR PIECES
 * </pre>
 *
 * <p>{@code export DIR PIECES} writes what the peer needs to train and generate on the same token
 * ids, with no tokenizer of its own, and exits: {@code DIR/pieces.json} (the learned pieces in id
 * order, ids {@link CodeTokens#CHARACTERS} onwards), {@code DIR/train.i32} (the train split's
 * documents encoded and joined, each followed by the end mark 1, as little-endian int32, the stream
 * {@code pretrain} cuts its windows from), {@code DIR/prompts.json} (the ids of every test
 * document's prompt, in split order) and {@code DIR/meta.json} (vocabulary size, ids 0 padding and
 * 1 end, counts).
 */
public final class LanguageModelRun {
  /** Characters of a test document that make its prompt. */
  static final int PROMPT_CHARS = 200;

  /** Prompts per generation batch, as in {@link CodeLanguageModel#generate}. */
  private static final int GENERATION_BATCH = 128;

  private static final double LEARNING_RATE = 1e-3;

  private LanguageModelRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("export")) {
      export(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args.length != 12) {
      System.err.println(
          "usage: LanguageModelRun WIDTH LAYERS HEADS FF CONTEXT PIECES STEPS BATCH WINDOW"
              + " GEN_PROMPTS GEN_TOKENS SEED | LanguageModelRun export DIR PIECES");
      System.exit(2);
    }
    int[] a = new int[11];
    for (int i = 0; i < a.length; i++) {
      a[i] = Integer.parseInt(args[i]);
    }
    CodeLanguageModel.Config config = new CodeLanguageModel.Config(a[0], a[1], a[2], a[3], a[4]);
    int pieces = a[5];
    int steps = a[6];
    int batch = a[7];
    int window = a[8];
    int genPrompts = a[9];
    int genTokens = a[10];
    long seed = Long.parseLong(args[11]);

    List<String> docs = documents("train");
    List<String> prompts = prompts(documents("test"), genPrompts);
    CodeTokens tokens = CodeTokens.learn(List.of(docs), pieces);

    // PyTorch's native library loads on first use: load it before the clock, as the peer imports
    long e0 = System.nanoTime();
    DeepRuntime.configure();
    try (NDManager nd = NDManager.newBaseManager()) {
      nd.create(new float[] {1f, 2f}).add(1f).toFloatArray();
    }
    double engineLoad = (System.nanoTime() - e0) / 1e9;

    SplittableRandom rng = new SplittableRandom(seed);
    CodeLanguageModel model = CodeLanguageModel.initialise(config, tokens, rng.split());
    System.err.printf(
        Locale.ROOT,
        "  poisonlab: %,d parameters, %d ids, %d documents%n",
        model.parameterCount(),
        tokens.size(),
        docs.size());
    long t0 = System.nanoTime();
    CodeLanguageModel.Trained trained =
        model.pretrain(
            docs,
            steps,
            batch,
            window,
            LEARNING_RATE,
            rng.split(),
            msg -> System.err.println("  poisonlab " + msg));
    double pretrainCall = (System.nanoTime() - t0) / 1e9;

    long g0 = System.nanoTime();
    List<String> completions = trained.model().generate(prompts, genTokens, 0, rng.split());
    double genSeconds = (System.nanoTime() - g0) / 1e9;
    long positions = decodedPositions(trained.model(), prompts, genTokens);
    long textTokens = 0;
    for (String c : completions) {
      textTokens += trained.model().tokenCount(c);
    }
    System.err.printf(
        Locale.ROOT,
        "  poisonlab generation: %d prompts, %d positions decoded, %d tokens of text, %.2f s%n",
        prompts.size(),
        positions,
        textTokens,
        genSeconds);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("side", "poisonlab");
    out.put("width", config.width());
    out.put("layers", config.layers());
    out.put("heads", config.heads());
    out.put("ff", config.feedForward());
    out.put("context", config.context());
    out.put("vocabulary", tokens.size());
    out.put("parameters", model.parameterCount());
    out.put("steps", steps);
    out.put("batch", batch);
    out.put("window", window);
    out.put("seed", seed);
    out.put("engine_load_seconds", round(engineLoad, 3));
    out.put("train_tokens", trained.tokens());
    out.put("train_seconds", round(trained.seconds(), 3));
    out.put("train_tokens_per_second", round(trained.tokensPerSecond(), 1));
    out.put("pretrain_call_seconds", round(pretrainCall, 3));
    out.put("final_loss", round(trained.loss(), 4));
    out.put("gen_prompts", prompts.size());
    out.put("gen_tokens", genTokens);
    out.put("generation_tokens", positions);
    out.put("generated_text_tokens", textTokens);
    out.put("generation_seconds", round(genSeconds, 3));
    out.put("generation_tokens_per_second", round(positions / Math.max(1e-9, genSeconds), 1));
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }

  /**
   * The positions {@link CodeLanguageModel#generate} decodes: per batch, the prompts times the
   * budget left after the longest prompt (cut to its last {@code context − 1} tokens). The loop
   * stops sooner only when every prompt of a batch has written the end mark.
   */
  private static long decodedPositions(CodeLanguageModel model, List<String> prompts, int maxNew) {
    int context = model.config().context();
    long total = 0;
    for (int from = 0; from < prompts.size(); from += GENERATION_BATCH) {
      int to = Math.min(prompts.size(), from + GENERATION_BATCH);
      int len = 1;
      for (int i = from; i < to; i++) {
        len = Math.max(len, Math.min(context - 1, model.tokenCount(prompts.get(i))));
      }
      total += (long) (to - from) * Math.max(0, Math.min(maxNew, context - len));
    }
    return total;
  }

  private static List<String> documents(String split) {
    List<String> docs = new ArrayList<>();
    PinnedDatasets.load("java-code", split, PinnedDatasets.home(), null)
        .forEach(e -> docs.add(e.text()));
    return docs;
  }

  /** The first characters of the documents, cycling, {@code n} in all. */
  private static List<String> prompts(List<String> docs, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String d = docs.get(i % docs.size());
      out.add(d.substring(0, Math.min(PROMPT_CHARS, d.length())));
    }
    return out;
  }

  private static void export(Path dir, int pieces) throws IOException {
    Files.createDirectories(dir);
    List<String> docs = documents("train");
    CodeTokens tokens = CodeTokens.learn(List.of(docs), pieces);
    ObjectMapper json = new ObjectMapper();
    json.writeValue(dir.resolve("pieces.json").toFile(), tokens.pieces());

    List<int[]> encoded = new ArrayList<>(docs.size());
    long total = 0;
    for (String d : docs) {
      int[] ids = tokens.encode(d);
      encoded.add(ids);
      total += ids.length + 1;
    }
    ByteBuffer stream = ByteBuffer.allocate(Math.toIntExact(4 * total));
    stream.order(ByteOrder.LITTLE_ENDIAN);
    for (int[] ids : encoded) {
      for (int id : ids) {
        stream.putInt(id);
      }
      stream.putInt(1); // the end mark, CodeTokens.END
    }
    Files.write(dir.resolve("train.i32"), stream.array());

    List<String> test = documents("test");
    List<int[]> prompts = new ArrayList<>(test.size());
    for (String p : prompts(test, test.size())) {
      prompts.add(tokens.encode(p));
    }
    json.writeValue(dir.resolve("prompts.json").toFile(), prompts);

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("vocabulary", tokens.size());
    meta.put("characters", CodeTokens.CHARACTERS);
    meta.put("pad", 0);
    meta.put("end", 1);
    meta.put("pieces", tokens.pieces().size());
    meta.put("documents", docs.size());
    meta.put("train_tokens", total);
    meta.put("prompts", prompts.size());
    meta.put("prompt_chars", PROMPT_CHARS);
    json.writeValue(dir.resolve("meta.json").toFile(), meta);
    System.err.printf(
        Locale.ROOT,
        "  exported %d ids, a stream of %,d tokens from %d documents and %d prompts to %s%n",
        tokens.size(),
        total,
        docs.size(),
        prompts.size(),
        dir);
  }

  private static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }
}
