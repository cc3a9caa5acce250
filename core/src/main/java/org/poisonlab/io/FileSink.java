package org.poisonlab.io;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body written to a file while it is hashed, stopped at a byte cap. {@link #abort} stops
 * it from another thread (a timeout); after that no byte is written.
 */
final class FileSink implements HttpResponse.BodySubscriber<FileSink.Received> {
  /** A complete body: its size and SHA-256 hex. */
  public record Received(long bytes, String sha256) {}

  /** The body went over the cap. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long cap) {
      super("body is over the cap of " + cap + " bytes");
    }
  }

  private final Path file;
  private final long cap;
  private final MessageDigest sha = sha256();
  private final CompletableFuture<Received> body = new CompletableFuture<>();
  private FileChannel channel;
  private Flow.Subscription subscription;
  private long bytes;
  private boolean done;

  FileSink(Path file, long cap) {
    this.file = file;
    this.cap = cap;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (done) {
      s.cancel();
      return;
    }
    try {
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      fail(e);
      return;
    }
    s.request(1);
  }

  @Override
  public synchronized void onNext(List<ByteBuffer> buffers) {
    if (done) {
      return;
    }
    try {
      for (ByteBuffer b : buffers) {
        bytes += b.remaining();
        if (bytes > cap) {
          fail(new TooLarge(cap));
          return;
        }
        sha.update(b.duplicate());
        while (b.hasRemaining()) {
          channel.write(b);
        }
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    subscription.request(1);
  }

  @Override
  public synchronized void onError(Throwable t) {
    if (!done) {
      fail(t);
    }
  }

  @Override
  public synchronized void onComplete() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } catch (IOException e) {
      body.completeExceptionally(e);
      return;
    }
    body.complete(new Received(bytes, HexFormat.of().formatHex(sha.digest())));
  }

  @Override
  public CompletionStage<Received> getBody() {
    return body;
  }

  /** Stops the download: the subscription is cancelled and the file closed. */
  synchronized void abort(Throwable why) {
    if (!done) {
      fail(why);
    }
  }

  private void fail(Throwable t) {
    done = true;
    if (subscription != null) {
      subscription.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is deleted by the caller anyway
      }
    }
    body.completeExceptionally(t);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
