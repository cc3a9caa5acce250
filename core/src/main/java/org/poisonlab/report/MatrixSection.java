package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The attack × detector matrix of a study run folder ({@code results.json}): one row per attack,
 * budget and seed, with the poisoned model, the default scan and what its purge left, each
 * detector's precision and recall from the same scan, and each attributor's trace and purge.
 */
final class MatrixSection {
  private final RunFolder in;

  MatrixSection(RunFolder in) {
    this.in = in;
  }

  String matrix() {
    JsonNode runs = in.results == null ? null : in.results.path("runs");
    if (runs == null || !runs.isArray() || runs.isEmpty()) {
      return "";
    }
    Set<String> detectors = new LinkedHashSet<>();
    Set<String> attributors = new LinkedHashSet<>();
    for (JsonNode r : runs) {
      r.path("detectors").forEach(d -> detectors.add(d.path("name").asText()));
      r.path("attributors").forEach(a -> attributors.add(a.path("name").asText()));
    }
    StringBuilder b = new StringBuilder();
    b.append("<p>Recipe <code>")
        .append(esc(in.results.path("recipe").asText()))
        .append("</code>, model <code>")
        .append(esc(in.results.path("model").asText()))
        .append("</code>. Each detector cell is precision / recall (flagged); a purge cell is")
        .append(" accuracy / attack success after removing the flags (or sources) and")
        .append(" retraining, with poisons removed of examples removed.</p>\n");
    b.append("<div class=\"scroll\"><table><thead><tr><th>attack</th><th>trigger</th>")
        .append("<th>budget</th><th>clean acc</th><th>poisoned acc / ASR</th>")
        .append("<th>eval detects?</th>");
    for (String d : detectors) {
      b.append("<th>").append(esc(d)).append("</th>");
      if (purged(runs, "detectors", d)) {
        b.append("<th>after ").append(esc(d)).append(" purge</th>");
      }
    }
    for (String a : attributors) {
      b.append("<th>trace ").append(esc(a)).append("</th><th>after trace purge</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (JsonNode r : runs) {
      JsonNode attack = r.path("attack");
      b.append("<tr><td>")
          .append(esc(attack.path("kind").asText()))
          .append("</td><td><code>")
          .append(esc(attack.path("trigger").asText("")))
          .append("</code></td><td>")
          .append(r.path("budget").path("count").asInt())
          .append(" (")
          .append(Html.percent(r.path("budget").path("rate").asDouble()))
          .append(")</td><td>")
          .append(num(r.path("clean").path("accuracy").asDouble(Double.NaN), 3))
          .append("</td><td>")
          .append(score(r.path("poisoned")))
          .append("</td><td>")
          .append(verdict(r.path("detectable_by_eval")))
          .append("</td>");
      for (String d : detectors) {
        JsonNode m = find(r.path("detectors"), d);
        b.append("<td>").append(m == null ? "" : detection(m)).append("</td>");
        if (purged(runs, "detectors", d)) {
          b.append("<td>").append(m == null ? "" : purge(m.path("after_purge"))).append("</td>");
        }
      }
      for (String a : attributors) {
        JsonNode m = find(r.path("attributors"), a);
        b.append("<td>")
            .append(m == null ? "" : detection(m))
            .append("</td><td>")
            .append(m == null ? "" : purge(m.path("after_purge")))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody></table></div>\n").toString();
  }

  private static boolean purged(JsonNode runs, String field, String name) {
    for (JsonNode r : runs) {
      JsonNode m = find(r.path(field), name);
      if (m != null && m.path("after_purge").isObject()) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode find(JsonNode methods, String name) {
    for (JsonNode m : methods) {
      if (m.path("name").asText().equals(name)) {
        return m;
      }
    }
    return null;
  }

  private static String score(JsonNode s) {
    String acc = num(s.path("accuracy").asDouble(Double.NaN), 3);
    JsonNode asr = s.path("attack_success_rate");
    return asr.isNumber() ? acc + " / " + num(asr.asDouble(), 3) : acc;
  }

  private static String verdict(JsonNode v) {
    if (!v.isObject()) {
      return "";
    }
    return (v.path("verdict").asBoolean() ? "yes" : "no")
        + " (p "
        + Html.pValue(v.path("p_value").asDouble(Double.NaN))
        + ")";
  }

  private static String detection(JsonNode m) {
    return num(m.path("precision").asDouble(Double.NaN), 2)
        + " / "
        + num(m.path("recall").asDouble(Double.NaN), 2)
        + " ("
        + m.path("flagged").asInt()
        + ")";
  }

  private static String purge(JsonNode p) {
    if (!p.isObject()) {
      return "";
    }
    if (p.path("removed").asInt() == 0) {
      return "nothing removed";
    }
    return score(p) + "; " + p.path("poisons_removed").asInt() + " of " + p.path("removed").asInt();
  }
}
