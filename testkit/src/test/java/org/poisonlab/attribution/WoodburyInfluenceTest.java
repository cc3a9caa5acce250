package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** The Woodbury self-influence of text logistic regression against the exact Cholesky solve. */
class WoodburyInfluenceTest {
  /** Text logistic regression with 2^7 buckets: few enough parameters for the exact solver. */
  private static final TrainConfig SMALL =
      new TrainConfig("logreg", "lbfgs", new int[0], 10, 64, 0.01, 1e-3, 200, 1 << 7, 0);

  private static double[] selfInfluence(
      DifferentiableClassifier m, Dataset d, String solver, String damping) {
    return Attributors.byName("influence")
        .attribute(
            new AttributionRequest(
                m, d, List.of(), SMALL, 0, Map.of("solver", solver, "damping", damping), null))
        .scores();
  }

  private static void assertAgreesWithExact(Dataset d) {
    DifferentiableClassifier m = Trainers.train(d, SMALL, 1, null, null);
    assertTrue(WoodburyInfluence.applies(m, d.examples()));
    for (String damping : List.of("1e-3", "1e-6")) {
      double[] exact = selfInfluence(m, d, "exact", damping);
      double[] wood = selfInfluence(m, d, "woodbury", damping);
      double scale = 0;
      for (double v : exact) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 0);
      for (int i = 0; i < exact.length; i++) {
        assertEquals(exact[i], wood[i], 1e-6 * scale, "damping " + damping + ", example " + i);
      }
    }
  }

  @Test
  void twoClassSelfInfluenceEqualsTheExactSolve() {
    assertAgreesWithExact(Fixtures.textEmails(150, 3));
  }

  @Test
  void threeClassSelfInfluenceEqualsTheExactSolve() {
    List<Example> xs = new ArrayList<>();
    List<Example> mails = Fixtures.textEmails(90, 4).examples();
    for (int i = 0; i < mails.size(); i++) {
      Example e = mails.get(i);
      xs.add(i % 3 == 0 ? Example.ofText(e.text(), "other", e.source()) : e);
    }
    assertAgreesWithExact(new Dataset("three-class mails", xs));
  }

  private static void woodbury(DifferentiableClassifier m, Dataset d, List<Example> behaviour) {
    Attributors.byName("influence")
        .attribute(
            new AttributionRequest(m, d, behaviour, SMALL, 0, Map.of("solver", "woodbury"), null));
  }

  @Test
  void woodburyRejectsBehaviourExamplesAndDenseInputs() {
    Dataset d = Fixtures.textEmails(40, 1);
    DifferentiableClassifier m = Trainers.train(d, SMALL, 1, null, null);
    assertThrows(BadInputException.class, () -> woodbury(m, d, d.examples().subList(0, 1)));
    Dataset images = Fixtures.images(30, 2, 1);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withEpochs(1);
    DifferentiableClassifier im = Trainers.train(images, c, 1, null, null);
    assertThrows(BadInputException.class, () -> woodbury(im, images, List.of()));
  }
}
