package org.poisonlab.deep;

/**
 * A token sequence; the loss is on the predictions of ids {@code lossFrom + 1} onwards.
 *
 * @param ids the tokens, at most context + 1
 * @param lossFrom the first position whose next-token prediction counts
 */
record TrainingSequence(int[] ids, int lossFrom) {
  /**
   * Prompt, completion and (if asked) end mark, cut to {@code context}; loss from the completion
   * on.
   */
  static TrainingSequence of(
      CodeTokens tokens, int context, String prompt, String completion, boolean end) {
    int[] p = tokens.encode(prompt);
    int[] c = tokens.encode(completion);
    int n = Math.min(p.length + c.length + (end ? 1 : 0), context + 1);
    int[] ids = new int[n];
    int k = 0;
    for (int i = 0; i < p.length && k < n; i++) {
      ids[k++] = p[i];
    }
    for (int i = 0; i < c.length && k < n; i++) {
      ids[k++] = c[i];
    }
    if (k < n) {
      ids[k] = CodeTokens.END;
    }
    // target position j predicts ids[j + 1]; the first completion token is ids[p.length]
    return new TrainingSequence(ids, Math.max(0, Math.min(p.length, n - 1) - 1));
  }
}
