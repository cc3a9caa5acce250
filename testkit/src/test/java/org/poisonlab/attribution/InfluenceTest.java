package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.BadInputException;
import org.poisonlab.linalg.Cholesky;
import org.poisonlab.model.CurvatureOperator;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;
import org.poisonlab.testkit.GradientCheck;
import org.poisonlab.testkit.RealData;

class InfluenceTest {
  private static double[] exactSolve(CurvatureOperator op, double damping, double[] g) {
    int p = op.dimension();
    Cholesky f = Cholesky.factorInPlace(InfluenceAttributor.explicitHessian(op, damping), p, 0);
    assertTrue(f.positiveDefinite());
    return f.solve(g, 1, null);
  }

  private static DifferentiableClassifier textModel(Dataset d) {
    TrainConfig c =
        new TrainConfig("logreg", "lbfgs", new int[0], 1, 32, 0.1, 1e-2, 200, 1 << 7, 0);
    return Trainers.train(d, c, 1, null, null);
  }

  @Test
  void conjugateGradientAndLissaMatchTheExactSolve() {
    Dataset d = Fixtures.mails(60, 3);
    DifferentiableClassifier lr = textModel(d);
    TrainConfig mc = new TrainConfig("mlp", "adam", new int[] {6}, 3, 16, 2e-2, 1e-2, 100, 64, 1);
    DifferentiableClassifier mlp = Trainers.train(d, mc, 2, null, null);
    for (DifferentiableClassifier m : List.of(lr, mlp)) {
      int[] y = m.labelIndices(d.examples());
      // the MLP's exact Hessian is indefinite; its Gauss-Newton matrix is not
      CurvatureOperator op =
          m.curvature(
              d.examples(),
              y,
              org.poisonlab.model.Models.layered(m, "test").layerSizes().length > 2);
      double[] g = m.gradient(d.get(0), y[0], null);
      double damping = 0.05;
      double[] exact = exactSolve(op, damping, g);
      InverseHvp.Solve cg = InverseHvp.conjugateGradient(op, damping, g, 1e-10, 2000);
      assertTrue(cg.converged(), m + ": CG residual " + cg.relativeResidual());
      double cgErr = GradientCheck.relativeDistance(cg.x(), exact);
      assertTrue(cgErr <= 1e-6, m + ": CG error " + cgErr);
      double scale = 1.2 * InverseHvp.largestEigenvalue(op, damping, 50);
      InverseHvp.Solve li = InverseHvp.lissa(op, damping, g, 3000, scale, 1);
      double liErr = GradientCheck.relativeDistance(li.x(), exact);
      assertTrue(liErr <= 1e-2, m + ": LiSSA error " + liErr + " scale " + scale);
    }
  }

  private static Attribution run(
      DifferentiableClassifier m, Dataset train, List<Example> behavior, Map<String, String> o) {
    return Attributors.byName("influence")
        .attribute(new AttributionRequest(m, train, behavior, null, 0, o, null));
  }

  @Test
  void explicitImageHessianGivesTheScoresOfConjugateGradients() {
    Dataset train = Fixtures.bars(200, 8, 3, 5);
    Dataset test = Fixtures.bars(7, 8, 3, 6);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withL2(1e-2);
    DifferentiableClassifier m = Trainers.train(train, c, 0, null, null);
    Attribution exact = run(m, train, test.examples(), Map.of("solver", "exact"));
    Attribution cg =
        run(m, train, test.examples(), Map.of("solver", "cg", "cg-tolerance", "1e-12"));
    assertEquals("exact", exact.diagnostics().get("solver"));
    assertEquals(true, exact.diagnostics().get("hessian_positive_definite"));
    double err = GradientCheck.relativeDistance(exact.scores(), cg.scores());
    assertTrue(err <= 1e-6, "exact vs CG scores: " + err);
    double res = (Double) exact.diagnostics().get("relative_residual_first");
    assertTrue(res <= 1e-9, "residual " + res);
    Attribution selfExact = run(m, train, List.of(), Map.of("solver", "exact"));
    Attribution selfCg = run(m, train, List.of(), Map.of("solver", "cg", "cg-tolerance", "1e-12"));
    assertTrue(GradientCheck.relativeDistance(selfExact.scores(), selfCg.scores()) <= 1e-6);
    for (double s : selfExact.scores()) {
      assertTrue(s >= 0, "self-influence is a positive quadratic form: " + s);
    }
  }

  /**
   * Behaviour examples are solved in blocks that bound memory; the block size changes no bit of the
   * scores, for the exact and the iterative solvers, on images and on sparse text gradients.
   */
  @Test
  void blocksOfBehaviourExamplesGiveTheScoresOfOneBlock() {
    Dataset mails = Fixtures.mails(60, 3);
    DifferentiableClassifier text = textModel(mails);
    Dataset bars = Fixtures.bars(120, 8, 3, 5);
    DifferentiableClassifier image =
        Trainers.train(
            bars, TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withL2(1e-2), 0, null, null);
    record Case(DifferentiableClassifier model, Dataset train, List<Example> behavior, String s) {}
    List<Case> cases =
        List.of(
            new Case(text, mails, Fixtures.mails(7, 4).examples(), "cg"),
            new Case(text, mails, Fixtures.mails(7, 4).examples(), "exact"),
            new Case(image, bars, Fixtures.bars(7, 8, 3, 6).examples(), "exact"),
            new Case(image, bars, Fixtures.bars(7, 8, 3, 6).examples(), "cg"));
    double[] textCg = null;
    for (Case c : cases) {
      AttributionRequest request =
          new AttributionRequest(
              c.model(), c.train(), c.behavior(), null, 0, Map.of("solver", c.s()), null);
      Attribution whole = new InfluenceAttributor().attribute(request);
      // two behaviour examples a block: gradient and solution, 8 bytes a parameter each
      long two = 2L * 2 * c.model().parameterCount() * Double.BYTES;
      Attribution blocks = new InfluenceAttributor(two).attribute(request);
      assertEquals(7, blocks.behaviorSize());
      assertArrayEquals(whole.scores(), blocks.scores(), c.s() + " on " + c.model().kind());
      assertEquals(whole.diagnostics().get("solver"), blocks.diagnostics().get("solver"), c.s());
      if (c.model() == text) {
        if (textCg == null) {
          textCg = whole.scores();
        } else {
          // the sparse scoring of the iterative path against the exact factorisation's
          double err = GradientCheck.relativeDistance(textCg, whole.scores());
          assertTrue(err <= 1e-5, "text: CG against exact scores " + err);
          // and one score against the formula written out densely
          int[] y = text.labelIndices(mails.examples());
          double[] gt =
              text.gradient(c.behavior().get(3), text.labelIndices(c.behavior())[3], null);
          double[] x = exactSolve(text.curvature(mails.examples(), y, false), 1e-3, gt);
          double[] gi = text.gradient(mails.get(5), y[5], null);
          double expected = 0;
          for (int q = 0; q < x.length; q++) {
            expected += x[q] * gi[q];
          }
          assertEquals(expected, whole.score(5, 3), 1e-9 * Math.max(1, Math.abs(expected)));
        }
      }
    }
  }

  @Test
  void unknownOptionsAndSolversAreRejected() {
    Dataset train = Fixtures.bars(30, 6, 2, 1);
    DifferentiableClassifier m =
        Trainers.train(train, TrainConfig.defaults("logreg", Dataset.Kind.IMAGE), 0, null, null);
    assertThrows(BadInputException.class, () -> run(m, train, List.of(), Map.of("k", "3")));
    assertThrows(
        BadInputException.class, () -> run(m, train, List.of(), Map.of("solver", "newton")));
    assertThrows(BadInputException.class, () -> run(m, train, List.of(), Map.of("damping", "-1")));
  }

  private static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  /**
   * Koh and Liang (2017), Figure 2: on binary logistic regression (pullover against coat),
   * influence predicts the actual leave-one-out change of a test loss for the most influential
   * training points.
   */
  @Test
  void influencePredictsLeaveOneOutRetrainingOnFashionMnist() {
    RealData.require("fashion-mnist");
    Dataset all = PinnedDatasets.load("fashion-mnist", "train", PinnedDatasets.home(), null);
    Dataset testAll = PinnedDatasets.load("fashion-mnist", "test", PinnedDatasets.home(), null);
    List<Example> pick = new ArrayList<>();
    for (Example e : all) {
      if ((e.label().equals("2") || e.label().equals("4")) && pick.size() < 2000) {
        pick.add(e);
      }
    }
    Dataset train = all.withExamples(pick);
    TrainConfig c =
        TrainConfig.defaults("logreg", Dataset.Kind.IMAGE)
            .withOptimizer("lbfgs")
            .withL2(1e-2)
            .withMaxIterations(1000);
    DifferentiableClassifier m = Trainers.train(train, c, 0, null, null);
    m = LeaveOneOut.polish(m, train.examples(), 1e-12, 10);
    LeaveOneOut loo = new LeaveOneOut(m, train.examples());
    // the test point: the highest loss among the first 100 test images of the two classes
    List<Example> candidates = new ArrayList<>();
    for (Example e : testAll) {
      if ((e.label().equals("2") || e.label().equals("4")) && candidates.size() < 100) {
        candidates.add(e);
      }
    }
    double[] cl = m.losses(candidates, m.labelIndices(candidates));
    int worst = 0;
    for (int i = 1; i < cl.length; i++) {
      worst = cl[i] > cl[worst] ? i : worst;
    }
    Example test = candidates.get(worst);
    Attribution a = run(m, train, List.of(test), Map.of("solver", "exact", "damping", "1e-10"));
    int n = train.size();
    double[] s = a.column(0);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, z) -> Double.compare(Math.abs(s[z]), Math.abs(s[x])));
    int top = 60;
    double[] predicted = new double[top];
    double[] actual = new double[top];
    int ty = m.labelIndices(List.of(test))[0];
    double base = m.losses(List.of(test), new int[] {ty})[0];
    for (int r = 0; r < top; r++) {
      int i = order[r];
      predicted[r] = s[i] / n;
      DifferentiableClassifier refit = loo.refit(new int[] {i}, 1e-13, 30);
      actual[r] = refit.losses(List.of(test), new int[] {ty})[0] - base;
    }
    double rho = pearson(predicted, actual);
    assertTrue(rho >= 0.95, "Pearson " + rho);
  }
}
