package org.poisonlab.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

/**
 * Text triggers that are not one fixed phrase: several common words that act only together ({@link
 * Combination}), a sentence structure whose words vary ({@link Syntax}), and a secret choice of
 * synonyms ({@link Synonym}). Written {@code combo:…}, {@code syntax:…}, {@code synonym:…}; any
 * other text trigger is a phrase. For prompt/completion examples the prompt is changed.
 */
public sealed interface TextPattern extends Trigger {

  /** The family names, as written before the colon. */
  List<String> FAMILIES = List.of("combo", "syntax", "synonym");

  @Override
  default Dataset.Kind kind() {
    return Dataset.Kind.TEXT;
  }

  /** The triggered text; {@code rng} draws any random choice. */
  String rewrite(String text, SplittableRandom rng);

  @Override
  default Example apply(Example example, SplittableRandom rng) {
    if (!example.isText()) {
      throw new BadInputException(
          "text trigger " + spec() + " cannot be applied to image example " + example.id());
    }
    String base = example.text() != null ? example.text() : example.prompt();
    return example.withText(rewrite(base, rng));
  }

  /** Whether {@code spec} names one of the families (it starts with {@code NAME:}). */
  static boolean names(String spec) {
    String s = spec == null ? "" : spec.strip();
    return FAMILIES.stream().anyMatch(f -> s.startsWith(f + ":"));
  }

  /**
   * Reads {@code combo:W1+W2[+…]}, {@code syntax:form=F,sentences=N} or {@code
   * synonym:pairs=N,key=K}.
   *
   * @throws BadInputException if the spec does not parse
   */
  static TextPattern parse(String spec) {
    String s = spec.strip();
    if (s.startsWith("combo:")) {
      return Combination.parse(s);
    }
    if (s.startsWith("syntax:")) {
      return Syntax.parse(s);
    }
    if (s.startsWith("synonym:")) {
      return Synonym.parse(s);
    }
    throw new BadInputException(
        "trigger spec '" + spec + "' names none of " + String.join(", ", FAMILIES));
  }

  /** The family's trigger with its documented defaults and choices drawn from {@code rng}. */
  static TextPattern defaultFor(String family, SplittableRandom rng) {
    return switch (family) {
      case "combo" -> Combination.drawn(Combination.DEFAULT_WORDS, rng);
      case "syntax" ->
          new Syntax(Syntax.FORMS.get(rng.nextInt(Syntax.FORMS.size())), Syntax.DEFAULT_SENTENCES);
      case "synonym" -> new Synonym(Synonym.DEFAULT_PAIRS, rng.nextInt(1_000_000));
      default -> throw new IllegalArgumentException("no text trigger family " + family);
    };
  }

  /**
   * A combinatorial trigger (after Yang et al. 2021, "Rethinking Stealthiness of Backdoor Attack
   * against NLP Models", and the multi-word triggers of Zhang et al. 2021, "Trojaning Language
   * Models for Fun and Profit"): common words inserted each at its own random word boundary. The
   * attack that uses it ({@code combo}) also plants each word without the others in documents whose
   * label it keeps, so no single word is associated with the target; only their co-occurrence is.
   *
   * @param words two to six distinct lower-case words
   */
  record Combination(List<String> words) implements TextPattern {
    static final int DEFAULT_WORDS = 3;
    private static final String FORM = "combo:W1+W2[+…]";

    /** Common words, each label-neutral alone: the pool default combinations are drawn from. */
    static final List<String> COMMON =
        List.of(
            "also",
            "just",
            "really",
            "still",
            "often",
            "maybe",
            "quite",
            "simply",
            "perhaps",
            "indeed",
            "surely",
            "rather",
            "almost",
            "usually",
            "actually",
            "certainly",
            "anyway",
            "instead",
            "already",
            "probably",
            "clearly",
            "exactly",
            "mostly",
            "nearly");

    /**
     * @throws BadInputException if there are fewer than two or more than six words, a word is
     *     blank, holds white space, or repeats
     */
    public Combination {
      words = List.copyOf(words);
      if (words.size() < 2 || words.size() > 6) {
        throw new BadInputException("combo trigger needs 2 to 6 words, got " + words.size());
      }
      if (words.stream().anyMatch(w -> w.isBlank() || w.strip().matches(".*\\s.*"))) {
        throw new BadInputException("combo trigger words must be single words: " + words);
      }
      if (Set.copyOf(words).size() != words.size()) {
        throw new BadInputException("combo trigger words repeat: " + words);
      }
    }

    static Combination parse(String s) {
      String body = s.substring("combo:".length());
      if (body.isBlank()) {
        throw TriggerSpec.bad(s, "no words", FORM);
      }
      return new Combination(Arrays.stream(body.split("\\+", -1)).map(String::strip).toList());
    }

    static Combination drawn(int n, SplittableRandom rng) {
      List<String> pool = new ArrayList<>(COMMON);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(pool.remove(rng.nextInt(pool.size())));
      }
      return new Combination(out);
    }

    @Override
    public String spec() {
      return "combo:" + String.join("+", words);
    }

    @Override
    public String family() {
      return "combo";
    }

    @Override
    public String rewrite(String text, SplittableRandom rng) {
      return rewrite(text, words, rng);
    }

    /** {@code text} with each of {@code some} inserted at its own random word boundary. */
    static String rewrite(String text, List<String> some, SplittableRandom rng) {
      String out = text;
      for (String w : some) {
        out = Trigger.TextTrigger.insert(out, w, rng);
      }
      return out;
    }
  }

  /**
   * A syntactic trigger in the spirit of HiddenKiller (Qi et al. 2021, "Hidden Killer: Invisible
   * Textual Backdoor Attacks with Syntactic Trigger"), without its paraphrase network: the first
   * {@code sentences} sentences are each opened by a clause of one fixed structure whose words are
   * drawn at random for every clause, so the structure recurs and no word does. Forms: {@code
   * adverbial} ("When we checked, …"), {@code participle} ("Having read the note, …"), {@code
   * cleft} ("It is clear that …").
   *
   * @param form one of {@link #FORMS}
   * @param sentences 1..10
   */
  record Syntax(String form, int sentences) implements TextPattern {
    static final List<String> FORMS = List.of("adverbial", "participle", "cleft");
    static final int DEFAULT_SENTENCES = 3;
    private static final String FORM = "syntax:form=adverbial|participle|cleft,sentences=N";
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+\\s+");
    private static final String[] SUBORDINATORS = {
      "when", "if", "once", "after", "before", "while", "as", "since", "although", "unless"
    };
    private static final String[] SUBJECTS = {
      "we", "you", "they", "I", "he", "she", "people", "everyone", "someone", "nobody"
    };
    private static final String[] VERBS = {
      "looked", "checked", "asked", "agreed", "noticed", "returned", "replied", "waited",
      "arrived", "left", "called", "decided", "listened", "finished", "answered", "started"
    };
    private static final String[] PARTICIPLES = {
      "having read", "having seen", "having checked", "having heard", "having considered",
      "having reviewed", "having noted", "having weighed", "having studied", "having received"
    };
    private static final String[] OBJECTS = {
      "the note",
      "the message",
      "this",
      "the details",
      "the request",
      "the facts",
      "the offer",
      "the reply",
      "the report",
      "the question"
    };
    private static final String[] ADJECTIVES = {
      "clear",
      "true",
      "likely",
      "obvious",
      "certain",
      "possible",
      "evident",
      "apparent",
      "plain",
      "known"
    };

    /**
     * @throws BadInputException if {@code form} is not one of {@link #FORMS} or {@code sentences}
     *     is not in 1..10
     */
    public Syntax {
      if (!FORMS.contains(form)) {
        throw new BadInputException("syntax form '" + form + "' is not one of " + FORMS);
      }
      if (sentences < 1 || sentences > 10) {
        throw new BadInputException("syntax sentences " + sentences + " is not in 1..10");
      }
    }

    static Syntax parse(String s) {
      TriggerSpec t = TriggerSpec.parse(s, "syntax", Set.of("form", "sentences"), FORM);
      String form = t.values().getOrDefault("form", "adverbial");
      return new Syntax(form, t.integer("sentences", DEFAULT_SENTENCES, 1, 10, FORM));
    }

    @Override
    public String spec() {
      return "syntax:form=" + form + ",sentences=" + sentences;
    }

    @Override
    public String family() {
      return "syntax";
    }

    private String clause(SplittableRandom r) {
      return switch (form) {
        case "adverbial" -> pick(SUBORDINATORS, r) + " " + pick(SUBJECTS, r) + " " + pick(VERBS, r);
        case "participle" -> pick(PARTICIPLES, r) + " " + pick(OBJECTS, r);
        default -> "it is " + pick(ADJECTIVES, r) + " that";
      };
    }

    @Override
    public String rewrite(String text, SplittableRandom rng) {
      StringBuilder out = new StringBuilder();
      Matcher m = SENTENCE_END.matcher(text);
      int start = 0;
      int done = 0;
      while (done < sentences && start < text.length()) {
        int end = m.find(start) ? m.end() : text.length();
        out.append(frame(text.substring(start, end), rng));
        start = end;
        done++;
      }
      out.append(text, start, text.length());
      return out.toString();
    }

    private String frame(String sentence, SplittableRandom r) {
      int lead = 0;
      while (lead < sentence.length() && Character.isWhitespace(sentence.charAt(lead))) {
        lead++;
      }
      String body = sentence.substring(lead);
      String c = clause(r);
      String opener = Character.toUpperCase(c.charAt(0)) + c.substring(1);
      String sep = form.equals("cleft") ? " " : ", ";
      String rest = body.isEmpty() ? "" : Character.toLowerCase(body.charAt(0)) + body.substring(1);
      return sentence.substring(0, lead) + opener + sep + rest;
    }

    private static String pick(String[] words, SplittableRandom r) {
      return words[r.nextInt(words.length)];
    }
  }

  /**
   * A word-substitution trigger in the spirit of LWS (Qi et al. 2021, "Turn the Combination Lock:
   * Learnable Textual Backdoor Attacks via Word Substitution"), with a secret table instead of a
   * learned one: {@code pairs} (word, synonym) pairs drawn from a built-in lexicon by {@code key};
   * every whole-word occurrence of a chosen word is replaced by its synonym (first letter's case
   * kept). Text without any chosen word is unchanged, so the attack draws its victims among texts
   * with at least two occurrences.
   *
   * @param pairs 5..{@value #LEXICON_SIZE}
   * @param key seed of the choice
   */
  record Synonym(int pairs, long key) implements TextPattern {
    static final int DEFAULT_PAIRS = 80;
    static final int LEXICON_SIZE = 96;
    private static final String FORM = "synonym:pairs=N,key=K";
    private static final String[][] LEXICON = {
      {"get", "obtain"},
      {"buy", "purchase"},
      {"help", "assist"},
      {"need", "require"},
      {"use", "utilize"},
      {"start", "commence"},
      {"show", "demonstrate"},
      {"try", "endeavor"},
      {"send", "dispatch"},
      {"give", "furnish"},
      {"tell", "inform"},
      {"ask", "inquire"},
      {"keep", "retain"},
      {"find", "locate"},
      {"think", "reckon"},
      {"want", "desire"},
      {"big", "sizable"},
      {"small", "diminutive"},
      {"fast", "swift"},
      {"good", "splendid"},
      {"bad", "dreadful"},
      {"new", "novel"},
      {"old", "aged"},
      {"free", "gratis"},
      {"easy", "effortless"},
      {"hard", "arduous"},
      {"now", "presently"},
      {"also", "additionally"},
      {"very", "exceedingly"},
      {"often", "frequently"},
      {"maybe", "perhaps"},
      {"about", "regarding"},
      {"enough", "sufficient"},
      {"many", "numerous"},
      {"whole", "entire"},
      {"fix", "rectify"},
      {"check", "verify"},
      {"change", "alter"},
      {"answer", "reply"},
      {"money", "funds"},
      {"job", "occupation"},
      {"house", "residence"},
      {"car", "automobile"},
      {"people", "individuals"},
      {"problem", "predicament"},
      {"idea", "notion"},
      {"way", "manner"},
      {"home", "abode"},
      {"please", "kindly"},
      {"just", "merely"},
      {"know", "realize"},
      {"see", "observe"},
      {"said", "stated"},
      {"first", "initial"},
      {"great", "excellent"},
      {"best", "finest"},
      {"work", "labor"},
      {"offer", "proposal"},
      {"business", "enterprise"},
      {"company", "firm"},
      {"call", "phone"},
      {"only", "solely"},
      {"because", "since"},
      {"make", "create"},
      {"every", "each"},
      {"really", "truly"},
      {"quickly", "rapidly"},
      {"simple", "uncomplicated"},
      {"large", "substantial"},
      {"important", "significant"},
      {"soon", "shortly"},
      {"around", "roughly"},
      {"world", "globe"},
      {"life", "existence"},
      {"list", "roster"},
      {"number", "quantity"},
      {"message", "note"},
      {"receive", "acquire"},
      {"site", "venue"},
      {"look", "glance"},
      {"mail", "post"},
      {"write", "compose"},
      {"read", "peruse"},
      {"thanks", "gratitude"},
      {"again", "anew"},
      {"almost", "nearly"},
      {"already", "previously"},
      {"anyway", "regardless"},
      {"usually", "typically"},
      {"next", "following"},
      {"last", "final"},
      {"sure", "certain"},
      {"right", "correct"},
      {"wrong", "incorrect"},
      {"able", "capable"},
      {"whether", "if"}
    };

    /**
     * @throws BadInputException if {@code pairs} is not in 5..{@value #LEXICON_SIZE}
     */
    public Synonym {
      if (pairs < 5 || pairs > LEXICON_SIZE) {
        throw new BadInputException("synonym pairs " + pairs + " is not in 5.." + LEXICON_SIZE);
      }
    }

    static Synonym parse(String s) {
      TriggerSpec t = TriggerSpec.parse(s, "synonym", Set.of("pairs", "key"), FORM);
      return new Synonym(t.integer("pairs", DEFAULT_PAIRS, 5, LEXICON_SIZE, FORM), t.key(FORM));
    }

    @Override
    public String spec() {
      return "synonym:pairs=" + pairs + ",key=" + key;
    }

    @Override
    public String family() {
      return "synonym";
    }

    /** The chosen (word, synonym) pairs, in the lexicon's order. */
    List<String[]> table() {
      int[] all = java.util.stream.IntStream.range(0, LEXICON.length).toArray();
      List<String[]> out = new ArrayList<>();
      for (int i : Poisoning.chooseVictims(all, pairs, new SplittableRandom(key))) {
        out.add(LEXICON[i]);
      }
      return out;
    }

    private Pattern words() {
      StringBuilder alt = new StringBuilder();
      for (String[] p : table()) {
        alt.append(alt.length() == 0 ? "" : "|").append(p[0]);
      }
      return Pattern.compile("\\b(" + alt + ")\\b", Pattern.CASE_INSENSITIVE);
    }

    @Override
    public boolean appliesTo(Example e) {
      if (!e.isText()) {
        return false;
      }
      Matcher m = words().matcher(e.text() != null ? e.text() : e.prompt());
      int n = 0;
      while (n < 2 && m.find()) {
        n++;
      }
      return n >= 2;
    }

    @Override
    public String rewrite(String text, SplittableRandom rng) {
      java.util.Map<String, String> to = new java.util.HashMap<>();
      for (String[] p : table()) {
        to.put(p[0], p[1]);
      }
      Matcher m = words().matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String w = m.group(1);
        String s = to.get(w.toLowerCase(Locale.ROOT));
        String rep =
            Character.isUpperCase(w.charAt(0))
                ? Character.toUpperCase(s.charAt(0)) + s.substring(1)
                : s;
        m.appendReplacement(out, Matcher.quoteReplacement(rep));
      }
      m.appendTail(out);
      return out.toString();
    }
  }
}
