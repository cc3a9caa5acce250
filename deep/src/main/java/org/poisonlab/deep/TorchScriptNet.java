package org.poisonlab.deep;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;

/**
 * A user's TorchScript classifier seen as a body: images go in as float32 {@code [N, C, H, W]} in
 * [0, 1]; text as int64 token ids {@code [N, T]} from the user's tokenizer plus an attention mask
 * {@code [N, T]}. The representation is the module's exported {@code features} method when it has
 * one (its softmax layer then being the module's last linear layer, {@link TorchScriptKind}); else
 * the logits themselves. The module's parameters stay inside it: this body has none of its own.
 *
 * @param file the TorchScript file, for messages
 * @param module the loaded module; shared, used for inference from any thread
 * @param image the image shape ({@code [H, W]} or {@code [H, W, C]}), or null for a text model
 * @param tokenizer the text model's tokenizer, or null
 * @param features whether the module exports {@code features}
 * @param width the representation's width
 */
record TorchScriptNet(
    java.nio.file.Path file,
    PtSymbolBlock module,
    int[] image,
    HuggingFaceTokenizer tokenizer,
    boolean features,
    int width)
    implements Architecture {

  @Override
  public String family() {
    return "torchscript";
  }

  @Override
  public long[][] shapes() {
    return new long[0][];
  }

  @Override
  public boolean isWeight(int index) {
    return false;
  }

  @Override
  public float[][] initialise(SplittableRandom rng) {
    return new float[0][];
  }

  @Override
  public int[] imageShape() {
    return image == null ? null : image.clone();
  }

  @Override
  public NDList inputs(NDManager manager, List<Example> batch) {
    if (image != null) {
      return pixelInputs(manager, batch);
    }
    Encoding[] enc = new Encoding[batch.size()];
    int len = 1;
    for (int i = 0; i < batch.size(); i++) {
      Example e = batch.get(i);
      if (!e.isText()) {
        throw new IllegalArgumentException(
            "example " + e.id() + " is an image; this model reads text");
      }
      enc[i] = tokenizer.encode(e.text());
      len = Math.max(len, enc[i].getIds().length);
    }
    long[] ids = new long[batch.size() * len];
    long[] mask = new long[batch.size() * len];
    for (int i = 0; i < batch.size(); i++) {
      long[] t = enc[i].getIds();
      long[] m = enc[i].getAttentionMask();
      System.arraycopy(t, 0, ids, i * len, t.length);
      System.arraycopy(m, 0, mask, i * len, m.length);
    }
    Shape s = new Shape(batch.size(), len);
    return new NDList(manager.create(ids, s), manager.create(mask, s));
  }

  @Override
  public NDArray forward(NDList inputs, NDList params) {
    return call(features ? "features" : "forward", inputs);
  }

  /** The module's logits for these inputs. */
  NDArray logits(NDList inputs) {
    return call("forward", inputs);
  }

  /**
   * Runs a method of the module. Inside a gradient collector the call records gradients (DJL's
   * plain method call does not), so pixel gradients reach the inputs.
   */
  private NDArray call(String method, NDList inputs) {
    NDList in = new NDList(inputs.size() + 1);
    in.addAll(inputs);
    NDArray marker = inputs.get(0).getManager().create(0f);
    marker.setName("module_method:" + method);
    in.add(marker);
    try {
      NDList out = IValueUtils.forward(module, in, DeepRuntime.RECORDING.get());
      if (out.size() != 1) {
        throw new IllegalArgumentException(
            file + ": method '" + method + "' returns " + out.size() + " values, not one tensor");
      }
      return out.singletonOrThrow();
    } finally {
      marker.close();
    }
  }

  @Override
  public int cost(Example e) {
    return e.isText() ? e.text().length() : 1;
  }

  @Override
  public void describe(ObjectNode into) {
    into.put("architecture", family());
    into.put("file", file.toString());
    into.put("features", features);
  }
}
