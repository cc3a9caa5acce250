package org.poisonlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code '\n'} (a {@code '\r'} before it is dropped) without
 * decoding: Jackson parses the UTF-8 bytes of each line directly and reports bad UTF-8.
 */
public final class JsonlLineReader {
  private final InputStream in;
  private final byte[] chunk = new byte[1 << 16];
  private int pos;
  private int end;
  private byte[] line = new byte[1 << 12];
  private int len;
  private boolean eof;
  private long chunkStart;
  private long lineStart;
  private long nextLineStart;

  /** Reads lines from {@code in}; closing it stays with the caller. */
  public JsonlLineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  public boolean next() throws IOException {
    len = 0;
    lineStart = nextLineStart;
    boolean any = false;
    while (true) {
      if (pos == end) {
        if (eof) {
          break;
        }
        chunkStart += end;
        end = in.read(chunk);
        pos = 0;
        if (end <= 0) {
          end = 0;
          eof = true;
          break;
        }
      }
      any = true;
      int nl = -1;
      for (int i = pos; i < end; i++) {
        if (chunk[i] == '\n') {
          nl = i;
          break;
        }
      }
      int stop = nl < 0 ? end : nl;
      append(chunk, pos, stop - pos);
      if (nl >= 0) {
        pos = nl + 1;
        nextLineStart = chunkStart + pos;
        if (len > 0 && line[len - 1] == '\r') {
          len--;
        }
        return true;
      }
      pos = end;
    }
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    return any;
  }

  private void append(byte[] src, int off, int n) {
    if (len + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, len + n));
    }
    System.arraycopy(src, off, line, len, n);
    len += n;
  }

  /** The current line's bytes, valid up to {@link #length()} until the next call to next(). */
  public byte[] buffer() {
    return line;
  }

  /** The current line's length in bytes, without its line break. */
  public int length() {
    return len;
  }

  /** The byte offset of the current line's first byte in the stream. */
  public long offset() {
    return lineStart;
  }

  /** True when the current line holds only spaces and tabs. */
  public boolean isBlank() {
    for (int i = 0; i < len; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
