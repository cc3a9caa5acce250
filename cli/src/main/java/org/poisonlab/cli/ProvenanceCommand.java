package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.provenance.FetchOptions;
import org.poisonlab.provenance.FetchResult;
import org.poisonlab.provenance.FetchSummary;
import org.poisonlab.provenance.ManifestEntry;
import org.poisonlab.provenance.ManifestHeader;
import org.poisonlab.provenance.ManifestVerification;
import org.poisonlab.provenance.ManifestVerification.Change;
import org.poisonlab.provenance.ManifestVerification.ChangeKind;
import org.poisonlab.provenance.Manifests;
import org.poisonlab.provenance.ShardedManifests;
import org.poisonlab.provenance.ShardedVerification;
import org.poisonlab.provenance.Signatures;
import org.poisonlab.provenance.VerifiedDownloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab provenance keygen | manifest | verify | fetch}. */
@Command(
    name = "provenance",
    mixinStandardHelpOptions = true,
    description =
        "Data provenance: sign a manifest of a dataset, verify a dataset against it, "
            + "and download an index keeping only content that matches its recorded hash.",
    footer = {
      "%nExample:%n  poisonlab provenance verify --in train.jsonl --manifest train.manifest.json"
    },
    subcommands = {
      ProvenanceCommand.Keygen.class,
      ProvenanceCommand.MakeManifest.class,
      ProvenanceCommand.Verify.class,
      ProvenanceCommand.Fetch.class
    })
final class ProvenanceCommand implements Runnable {
  /** Changes listed in human output before "... and N more". */
  private static final int SHOWN_CHANGES = 20;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description =
          "Make an Ed25519 key pair: DIR/private.key (PKCS#8 PEM) and DIR/public.key (X.509 PEM).",
      footer = {"%nExample:%n  poisonlab provenance keygen --out mykeys"})
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Folder for the keys; existing keys are never overwritten.")
    Path out;

    @Override
    public Integer call() {
      KeyPair kp = Signatures.generate();
      Signatures.writeKeyPair(out, kp);
      PrintWriter o = spec.commandLine().getOut();
      Path priv = out.resolve(Signatures.PRIVATE_KEY_FILE);
      Path pub = out.resolve(Signatures.PUBLIC_KEY_FILE);
      String fp = Signatures.fingerprint(kp.getPublic());
      if (json.json) {
        o.println(Json.pretty(new KeysJson(priv.toString(), pub.toString(), fp)));
      } else {
        o.println("wrote " + priv + " (keep it secret) and " + pub);
        o.println("public key " + fp);
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "manifest",
      mixinStandardHelpOptions = true,
      description = {
        "Write a manifest of a dataset under a Merkle root, optionally signed.",
        "Per example: position, id (content hash), label and source; the root follows RFC 6962; --key signs with Ed25519.",
        "With --in repeated or a folder: one manifest per shard in MANIFEST.shards/ and a top manifest whose root is",
        "over the shards' roots, signed once; memory is that of one shard."
      },
      footer = {
        "%nExamples:",
        "  poisonlab provenance manifest --in train.jsonl --out train.manifest.json --key keys/private.key",
        "  poisonlab provenance manifest --in train.jsonl --in test.jsonl --out both.manifest.json --key keys/private.key"
      })
  static final class MakeManifest implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(
        names = "--in",
        required = true,
        paramLabel = "F",
        description =
            "Dataset: JSONL file or NAME:SPLIT. Repeat it, or give a folder of .jsonl files, for a"
                + " sharded manifest.")
    List<String> in;

    @Option(names = "--out", required = true, paramLabel = "MANIFEST")
    Path out;

    @Option(
        names = "--key",
        paramLabel = "DIR/private.key",
        description = "Sign with this Ed25519 private key.")
    Path key;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description =
            "The dataset's name in a sharded manifest (default: the folder's name, else the"
                + " manifest's file name).")
    String name;

    @Override
    public Integer call() {
      var priv = key == null ? null : Signatures.readPrivateKey(key);
      PrintWriter o = spec.commandLine().getOut();
      if (!sharded(in)) {
        ManifestHeader m = Manifests.write(out, Inputs.source(in.get(0)), priv);
        if (json.json) {
          o.println(
              Json.pretty(
                  new ManifestJson(
                      out.toString(), m.dataset(), m.count(), m.root(), m.isSigned(), null)));
        } else {
          o.printf(
              "wrote %s: %d examples of %s, root %s, %s%n",
              out, m.count(), m.dataset(), m.root(), m.isSigned() ? "signed" : "unsigned");
        }
        o.flush();
        return ExitCodes.OK;
      }
      List<ShardedManifests.Shard> shards = shards(in);
      String dataset =
          name != null
              ? name
              : in.size() == 1
                  ? Path.of(in.get(0)).toAbsolutePath().normalize().getFileName().toString()
                  : out.getFileName().toString();
      ManifestHeader m = ShardedManifests.write(out, dataset, shards, priv, Progress.forTerminal());
      if (json.json) {
        o.println(
            Json.pretty(
                new ManifestJson(
                    out.toString(),
                    m.dataset(),
                    m.count(),
                    m.root(),
                    m.isSigned(),
                    (long) shards.size())));
      } else {
        o.printf(
            "wrote %s: %d examples of %s in %d shards (their manifests in %s), root %s, %s%n",
            out,
            m.count(),
            m.dataset(),
            shards.size(),
            out.getFileName() + ".shards/",
            m.root(),
            m.isSigned() ? "signed" : "unsigned");
      }
      o.flush();
      return ExitCodes.OK;
    }
  }

  /** Whether {@code --in} asks for a sharded manifest: given more than once, or a folder. */
  static boolean sharded(List<String> in) {
    return in.size() > 1 || Files.isDirectory(Path.of(in.get(0)));
  }

  /**
   * The shards of {@code --in}: a folder's {@code .jsonl} files named by their paths inside it
   * (and, with more than one {@code --in}, prefixed by the folder's name), a file by its name,
   * {@code NAME:SPLIT} as written.
   */
  static List<ShardedManifests.Shard> shards(List<String> in) {
    List<ShardedManifests.Shard> out = new ArrayList<>();
    for (String spec : in) {
      Path p = Path.of(spec);
      if (Files.isDirectory(p)) {
        String prefix = in.size() == 1 ? "" : p.toAbsolutePath().normalize().getFileName() + "/";
        for (ShardedManifests.Shard s : ShardedManifests.folder(p)) {
          out.add(new ShardedManifests.Shard(prefix + s.name(), s.source()));
        }
      } else {
        String n = Files.isRegularFile(p) ? p.getFileName().toString() : spec;
        out.add(new ShardedManifests.Shard(n, Inputs.source(spec)));
      }
    }
    return out;
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a dataset against its manifest; exit code 1 on any mismatch.",
        "Reports which examples were changed, added, removed or moved, whether the Merkle root matches, and with --pub",
        "whether the signature is valid.",
      },
      footer = {
        "%nExample:",
        "  poisonlab provenance verify --in train.jsonl --manifest train.manifest.json --pub keys/public.key"
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(
        names = "--in",
        required = true,
        paramLabel = "F",
        description =
            "Dataset: JSONL file or NAME:SPLIT; for a sharded manifest the shards as they were"
                + " given to manifest (repeated, or a folder).")
    List<String> in;

    @Option(names = "--manifest", required = true, paramLabel = "MANIFEST")
    Path manifest;

    @Option(
        names = "--pub",
        paramLabel = "DIR/public.key",
        description = "Check the signature with this Ed25519 public key.")
    Path pub;

    @Override
    public Integer call() {
      PublicKey key = pub == null ? null : Signatures.readPublicKey(pub);
      PrintWriter o = spec.commandLine().getOut();
      if (ShardedManifests.isSharded(manifest)) {
        ShardedVerification v =
            ShardedManifests.verify(manifest, shards(in), key, Progress.forTerminal());
        if (json.json) {
          o.println(Json.pretty(v.asJson()));
        } else {
          printSharded(o, v);
        }
        o.flush();
        return v.ok() ? ExitCodes.OK : ExitCodes.NEGATIVE;
      }
      if (sharded(in)) {
        throw new BadInputException(
            manifest, 0, "is the manifest of one dataset; give --in once, as a file");
      }
      ManifestVerification v = Manifests.verify(Inputs.source(in.get(0)), manifest, key);
      if (json.json) {
        o.println(Json.pretty(v.asJson()));
      } else {
        printVerification(o, v);
      }
      o.flush();
      return v.ok() ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }
  }

  static void printSharded(PrintWriter o, ShardedVerification v) {
    o.println(v.dataset() + ": " + (v.ok() ? "verified" : "VERIFICATION FAILED"));
    o.printf("  count      manifest %d, shards %d%n", v.expectedCount(), v.actualCount());
    o.printf(
        "  root       %s%n",
        v.rootMatches()
            ? "matches " + v.actualRoot()
            : "manifest " + v.expectedRoot() + ", shards " + v.actualRoot());
    if (!v.manifestIntact()) {
      o.println("  manifest   EDITED: its shard list does not hash to its stated root or count");
    }
    o.println("  signature  " + signatureLine(v.signature()));
    o.printf(
        "  shards     %d ok, %d changed, %d manifest edited, %d missing, %d added%n",
        v.count(ShardedVerification.ShardStatus.OK),
        v.count(ShardedVerification.ShardStatus.CHANGED),
        v.count(ShardedVerification.ShardStatus.MANIFEST_EDITED),
        v.count(ShardedVerification.ShardStatus.MISSING),
        v.count(ShardedVerification.ShardStatus.ADDED));
    for (ShardedVerification.ShardResult s : v.shards()) {
      switch (s.status()) {
        case OK -> {}
        case CHANGED -> {
          o.printf("  shard %s: changed%n", s.name());
          printChanges(o, s.verification(), "    ");
        }
        case MANIFEST_EDITED ->
            o.printf(
                "  shard %s: MANIFEST EDITED: its manifest %s is not the one the signed top"
                    + " manifest records%n",
                s.name(), s.recorded().manifest());
        case MISSING -> o.printf("  shard %s: missing (recorded, not given)%n", s.name());
        case ADDED -> o.printf("  shard %s: added (given, not recorded)%n", s.name());
      }
    }
  }

  private static String signatureLine(ManifestVerification.SignatureStatus s) {
    return switch (s) {
      case VALID -> "valid";
      case INVALID -> "INVALID (wrong key, or the manifest was edited)";
      case MISSING -> "MISSING (a key was given but the manifest is unsigned)";
      case NOT_CHECKED -> "present, not checked (no --pub)";
      case UNSIGNED -> "none";
    };
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Download an index of {\"url\", \"sha256\", \"source\", \"normalized_sha256\"} rows, keeping only content",
        "that is what the index recorded. Verdicts: ok, reencoded (--tolerant: same content after normalisation),",
        "substituted (possible split-view poisoning: kept in DIR/quarantine/, exit code 1), missing. Kept content",
        "goes to DIR/data/SHA256. The index is read in constant memory, a bounded number of rows in flight; a rerun",
        "resumes where an interrupted one stopped. Every row in DIR/results.jsonl, counts by domain in DIR/fetch.json."
      },
      footer = {
        "%nExample:",
        "  poisonlab provenance fetch --index index.jsonl --out downloads --tolerant --threads 8"
      })
  static final class Fetch implements Callable<Integer> {
    /** Domains listed in human output. */
    private static final int SHOWN_DOMAINS = 20;

    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Option(names = "--index", required = true, paramLabel = "F")
    Path index;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(
        names = "--max-bytes",
        paramLabel = "N",
        defaultValue = "50000000",
        description = "Size cap per download in bytes (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description =
            "Time allowed per download, redirects and body included (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(
        names = "--threads",
        paramLabel = "N",
        defaultValue = "2",
        description =
            "Downloads at once, 1 to 16; four per thread in flight (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
        names = "--tolerant",
        description =
            "Tell benign re-encoding (charset, line ends, trailing white space, gzip/deflate, HTML"
                + " white space and entities) from substitution, by the content's normal form.")
    boolean tolerant;

    @Override
    public Integer call() {
      FetchOptions opts;
      try {
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        FetchOptions d = FetchOptions.defaults();
        opts =
            new FetchOptions(
                maxBytes,
                d.connectTimeout().compareTo(timeout) < 0 ? d.connectTimeout() : timeout,
                timeout,
                threads,
                d.maxRedirects(),
                tolerant);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(e.getMessage());
      }
      FetchSummary s = VerifiedDownloads.fetch(index, out, opts, Progress.forTerminal());
      PrintWriter o = spec.commandLine().getOut();
      if (json.json) {
        o.println(Json.pretty(s.asJson()));
      } else {
        printFetch(o, s);
      }
      o.flush();
      return s.hasSubstitution() ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    private void printFetch(PrintWriter o, FetchSummary s) {
      o.printf(
          Locale.ROOT,
          "%d rows: %d ok, %d reencoded, %d substituted, %d missing; %d bytes"
              + " (%d requested now, the rest kept from an earlier run)%n",
          s.rows(),
          s.ok(),
          s.reencoded(),
          s.substituted(),
          s.missing(),
          s.bytes(),
          s.downloaded());
      List<FetchSummary.Counts> domains = new ArrayList<>(s.domains());
      // the domains that served substitutions first, then the largest
      domains.sort(
          Comparator.comparingLong(FetchSummary.Counts::substituted)
              .thenComparingLong(FetchSummary.Counts::rows)
              .reversed()
              .thenComparing(FetchSummary.Counts::name));
      o.printf(
          Locale.ROOT,
          "%-32s %8s %8s %9s %11s %8s %12s%n",
          "domain",
          "rows",
          "ok",
          "reencoded",
          "substituted",
          "missing",
          "bytes");
      for (FetchSummary.Counts c : domains.subList(0, Math.min(SHOWN_DOMAINS, domains.size()))) {
        o.printf(
            Locale.ROOT,
            "%-32s %8d %8d %9d %11d %8d %12d%n",
            c.name(),
            c.rows(),
            c.ok(),
            c.reencoded(),
            c.substituted(),
            c.missing(),
            c.bytes());
      }
      if (domains.size() > SHOWN_DOMAINS) {
        o.printf(
            Locale.ROOT, "... and %d more domains in fetch.json%n", domains.size() - SHOWN_DOMAINS);
      }
      for (FetchResult r : s.substitutions()) {
        o.printf(
            Locale.ROOT,
            "SUBSTITUTED line %d %s: %s; kept in %s%n",
            r.line(),
            r.url(),
            r.detail(),
            out.resolve(r.path()));
      }
      if (s.substitutionsOmitted() > 0) {
        o.printf(
            Locale.ROOT,
            "... and %d more substituted rows in results.jsonl%n",
            s.substitutionsOmitted());
      }
      o.println(
          "every row in "
              + out.resolve("results.jsonl")
              + ", summary in "
              + out.resolve("fetch.json"));
    }
  }

  static void printVerification(PrintWriter o, ManifestVerification v) {
    o.println(v.dataset() + ": " + (v.ok() ? "verified" : "VERIFICATION FAILED"));
    o.printf("  count      manifest %d, dataset %d%n", v.expectedCount(), v.actualCount());
    o.printf(
        "  root       %s%n",
        v.rootMatches()
            ? "matches " + v.actualRoot()
            : "manifest " + v.expectedRoot() + ", dataset " + v.actualRoot());
    if (!v.manifestIntact()) {
      o.println("  manifest   EDITED: its entries do not hash to its stated root or count");
    }
    o.println("  signature  " + signatureLine(v.signature()));
    printChanges(o, v, "  ");
  }

  /** The change counts and the first changes, each line after {@code indent}. */
  private static void printChanges(PrintWriter o, ManifestVerification v, String indent) {
    o.printf(
        indent + "changes    %d changed, %d added, %d removed, %d moved%n",
        v.count(ChangeKind.CHANGED),
        v.count(ChangeKind.ADDED),
        v.count(ChangeKind.REMOVED),
        v.count(ChangeKind.MOVED));
    int shown = 0;
    for (Change c : v.changes()) {
      if (shown++ == SHOWN_CHANGES) {
        o.printf(
            indent + "... and %d more (--json lists all)%n", v.changes().size() - SHOWN_CHANGES);
        break;
      }
      switch (c.kind()) {
        case CHANGED ->
            o.printf(
                indent + "changed    %s: %s (%s -> %s)%n",
                where(c.actual()),
                String.join(", ", c.fields()),
                describe(c.expected(), c.fields()),
                describe(c.actual(), c.fields()));
        case ADDED -> o.printf(indent + "added      %s%n", where(c.actual()));
        case REMOVED -> o.printf(indent + "removed    %s%n", where(c.expected()));
        case MOVED ->
            o.printf(
                indent + "moved      %s from example %d to %d%s%n",
                c.actual().id(),
                c.expected().position() + 1,
                c.actual().position() + 1,
                c.fields().isEmpty() ? "" : " (also " + String.join(", ", c.fields()) + ")");
      }
    }
  }

  /**
   * An entry as a user finds it: its 1-based example number (the line of a JSONL file without blank
   * lines), 0-based position, id and source.
   */
  private static String where(ManifestEntry e) {
    return "example "
        + (e.position() + 1)
        + " (position "
        + e.position()
        + ") id "
        + e.id()
        + (e.source() == null ? "" : ", source " + e.source());
  }

  private static String describe(ManifestEntry e, List<String> fields) {
    List<String> parts = new ArrayList<>();
    for (String f : fields) {
      parts.add(
          switch (f) {
            case "id" -> e.id();
            case "label" -> e.label();
            case "content" -> e.digest() == null ? "content=id" : "content=" + e.digest();
            default -> String.valueOf(e.source());
          });
    }
    return String.join(" ", parts);
  }

  /** {@code provenance keygen --json}. */
  @JsonPropertyOrder({"private_key", "public_key", "fingerprint"})
  record KeysJson(
      @JsonProperty("private_key") String privateKey,
      @JsonProperty("public_key") String publicKey,
      String fingerprint) {}

  /** {@code provenance manifest --json}; {@code shards} only for a sharded manifest. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ManifestJson(
      String manifest, String dataset, long count, String root, boolean signed, Long shards) {}
}
