package org.poisonlab.deep;

import java.util.Arrays;
import java.util.List;

/** Left-padded prompt ids with their padding counts; prompts are cut to their last tokens. */
record PaddedPrompts(long[] ids, int[] pad, int len) {
  static PaddedPrompts leftPadded(CodeTokens tokens, List<String> prompts, int maxLen) {
    int[][] enc = new int[prompts.size()][];
    int len = 1;
    for (int i = 0; i < enc.length; i++) {
      int[] e = tokens.encode(prompts.get(i));
      if (e.length > maxLen) {
        e = Arrays.copyOfRange(e, e.length - maxLen, e.length);
      }
      enc[i] = e;
      len = Math.max(len, e.length);
    }
    long[] ids = new long[enc.length * len];
    int[] pad = new int[enc.length];
    for (int i = 0; i < enc.length; i++) {
      pad[i] = len - enc[i].length;
      for (int j = 0; j < enc[i].length; j++) {
        ids[i * len + pad[i] + j] = enc[i][j];
      }
    }
    return new PaddedPrompts(ids, pad, len);
  }
}
