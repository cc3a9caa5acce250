package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** HTML tables of JSON whose exact layout the report does not fix (e.g. {@code detection.json}). */
final class Tables {
  static final int MAX_ROWS = 400;
  static final int MAX_COLUMNS = 16;

  private Tables() {}

  /**
   * A table of the first array of objects found: the root if it is one, else its {@code rows}, else
   * its first array-of-objects field. Nested objects are flattened one level ({@code
   * defense.precision}); numbers get at most four decimals. "" when there is no such array.
   */
  static String generic(JsonNode root) {
    JsonNode rows = rowsOf(root);
    if (rows == null || rows.isEmpty()) {
      return "";
    }
    List<Map<String, JsonNode>> flat = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (JsonNode r : rows) {
      Map<String, JsonNode> m = new LinkedHashMap<>();
      flatten("", r, m, 0);
      columns.addAll(m.keySet());
      flat.add(m);
      if (flat.size() == MAX_ROWS) {
        break;
      }
    }
    List<String> cols = new ArrayList<>(columns).subList(0, Math.min(MAX_COLUMNS, columns.size()));
    StringBuilder b = new StringBuilder("<div class=\"scroll\"><table><thead><tr>");
    for (String c : cols) {
      b.append("<th>").append(esc(c)).append("</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (Map<String, JsonNode> m : flat) {
      b.append("<tr>");
      for (String c : cols) {
        b.append("<td>").append(esc(text(m.get(c)))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></div>\n");
    if (rows.size() > MAX_ROWS) {
      b.append("<p class=\"claim\">first ")
          .append(MAX_ROWS)
          .append(" of ")
          .append(rows.size())
          .append(" rows</p>\n");
    }
    return b.toString();
  }

  /**
   * A two-column table of the scalar fields of an object, nested objects flattened one level
   * ({@code times.gradients_s}), at most {@value #MAX_ROWS} rows. "" when there are none.
   */
  static String scalars(JsonNode object) {
    if (object == null || !object.isObject()) {
      return "";
    }
    Map<String, JsonNode> m = new LinkedHashMap<>();
    flatten("", object, m, 0);
    if (m.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<table class=\"kv\"><tbody>\n");
    int rows = 0;
    for (Map.Entry<String, JsonNode> e : m.entrySet()) {
      if (rows++ == MAX_ROWS) {
        break;
      }
      b.append("<tr><th>")
          .append(esc(e.getKey()))
          .append("</th><td>")
          .append(esc(text(e.getValue())))
          .append("</td></tr>\n");
    }
    return b.append("</tbody></table>\n").toString();
  }

  private static JsonNode rowsOf(JsonNode root) {
    if (root == null) {
      return null;
    }
    if (isRows(root)) {
      return root;
    }
    if (isRows(root.path("rows"))) {
      return root.path("rows");
    }
    for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
      JsonNode n = it.next();
      if (isRows(n)) {
        return n;
      }
    }
    return null;
  }

  private static boolean isRows(JsonNode n) {
    return n != null && n.isArray() && !n.isEmpty() && n.get(0).isObject();
  }

  private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out, int depth) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && depth == 0) {
        flatten(key, v, out, depth + 1);
      } else if (v.isValueNode() || v.isNull()) {
        out.put(key, v);
      }
    }
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      double x = v.asDouble();
      if (x != 0 && Math.abs(x) < 1e-3) {
        return Html.pValue(Math.abs(x)).equals("n/a")
            ? "n/a"
            : (x < 0 ? "-" : "") + Html.pValue(Math.abs(x));
      }
      String s = Html.num(x, 4);
      return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
    return v.asText();
  }
}
