package org.poisonlab.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/** windows-1252 as the WHATWG Encoding Standard defines it: total and one-to-one. */
final class Windows1252Reader extends Reader {
  private static final char[] HIGH = {
    '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
    '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
    '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
    '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178'
  };
  private final InputStream in;
  private final byte[] buf = new byte[1 << 14];

  Windows1252Reader(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    int n = in.read(buf, 0, Math.min(len, buf.length));
    for (int i = 0; i < n; i++) {
      int b = buf[i] & 0xff;
      cbuf[off + i] = b >= 0x80 && b < 0xA0 ? HIGH[b - 0x80] : (char) b;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
