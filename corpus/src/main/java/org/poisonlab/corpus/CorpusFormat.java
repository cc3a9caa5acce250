package org.poisonlab.corpus;

import java.util.Locale;

/** The corpus formats, told by a file name's ending (case-insensitive). */
enum CorpusFormat {
  JSONL(".jsonl"),
  JSONL_GZ(".jsonl.gz"),
  JSONL_ZST(".jsonl.zst"),
  PARQUET(".parquet"),
  WARC(".warc"),
  WARC_GZ(".warc.gz");

  /** What error messages list as the known endings. */
  static final String KNOWN = ".jsonl, .jsonl.gz, .jsonl.zst, .parquet, .warc, .warc.gz";

  private final String ending;

  CorpusFormat(String ending) {
    this.ending = ending;
  }

  /** The file name ending of this format. */
  String ending() {
    return ending;
  }

  /** {@code name} without its format's ending (the name as given when it has none). */
  static String stem(String name) {
    CorpusFormat f = of(name);
    if (f == null) {
      return name;
    }
    int cut = name.toLowerCase(Locale.ROOT).endsWith(".json") ? 5 : f.ending.length();
    return name.substring(0, name.length() - cut);
  }

  /**
   * The format of a file named {@code name}, or null. A plain {@code .json} file reads as JSONL.
   */
  static CorpusFormat of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".json")) {
      return JSONL;
    }
    for (CorpusFormat f : values()) {
      if (n.endsWith(f.ending)) {
        return f;
      }
    }
    return null;
  }
}
